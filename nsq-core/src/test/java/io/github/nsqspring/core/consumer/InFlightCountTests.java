package io.github.nsqspring.core.consumer;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightCountTests {

	@Test
	void countsReceivedMinusAnswered() {
		InFlightCount count = new InFlightCount();
		count.receive();
		count.receive();
		count.answered();
		assertThat(count.get()).isEqualTo(1);
		count.answered();
		assertThat(count.get()).isZero();
		assertThat(count.receivedTotal()).isEqualTo(2);
	}

	@Test
	void neverSeenBelowTheTrueCountWhileAReaderAndAWorkerRace() throws InterruptedException {
		// the drain check takes 0 for "every answer written": a count read below the
		// truth would close a connection with an answer still to write
		InFlightCount count = new InFlightCount();
		AtomicInteger handedOver = new AtomicInteger();
		AtomicBoolean belowZero = new AtomicBoolean();
		int messages = 200_000;
		Thread reader = new Thread(() -> {
			for (int i = 0; i < messages; i++) {
				count.receive();
				handedOver.incrementAndGet();
			}
		});
		Thread worker = new Thread(() -> {
			int answered = 0;
			while (answered < messages) {
				if (handedOver.get() > answered) {
					count.answered();
					answered++;
				}
			}
		});
		Thread observer = new Thread(() -> {
			while (reader.isAlive() || worker.isAlive()) {
				if (count.get() < 0) {
					belowZero.set(true);
				}
			}
		});
		reader.start();
		worker.start();
		observer.start();
		reader.join(60_000);
		worker.join(60_000);
		observer.join(60_000);
		assertThat(belowZero).isFalse();
		assertThat(count.get()).isZero();
		assertThat(count.receivedTotal()).isEqualTo(messages);
	}

}
