package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTrackerTests {

	@Test
	void countsDistinctDuplicatesAndForeign() throws InterruptedException {
		DeliveryTracker tracker = new DeliveryTracker(130);
		assertThat(tracker.record(0)).isTrue();
		assertThat(tracker.record(129)).isTrue();
		assertThat(tracker.record(0)).isFalse();
		assertThat(tracker.record(130)).isFalse();
		assertThat(tracker.record(-1)).isFalse();
		assertThat(tracker.deliveries()).isEqualTo(5);
		assertThat(tracker.distinct()).isEqualTo(2);
		assertThat(tracker.duplicates()).isEqualTo(1);
		assertThat(tracker.foreign()).isEqualTo(2);
		assertThat(tracker.awaitAll(1, TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void concurrentHandlersCountEveryMessageOnce() throws InterruptedException {
		int messages = 200_000;
		DeliveryTracker tracker = new DeliveryTracker(messages);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			// every thread delivers every message: 3 of the 4 deliveries are duplicates
			Thread thread = new Thread(() -> {
				for (int i = 0; i < messages; i++) {
					tracker.record(i);
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(tracker.awaitAll(0, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(tracker.distinct()).isEqualTo(messages);
		assertThat(tracker.duplicates()).isEqualTo(3L * messages);
		assertThat(tracker.deliveries()).isEqualTo(4L * messages);
	}

	@Test
	void timesTheMiddleEightyPercentOfDistinctMessages() {
		DeliveryTracker tracker = new DeliveryTracker(100);
		assertThat(tracker.steadyMessages()).isEqualTo(80);
		for (int i = 0; i < 10; i++) {
			tracker.record(i);
			// duplicates must not move the window
			tracker.record(i);
		}
		assertThat(tracker.steadyNanos()).as("window opened, not closed").isZero();
		for (int i = 10; i < 89; i++) {
			tracker.record(i);
		}
		assertThat(tracker.steadyNanos()).as("89 of 100 seen").isZero();
		tracker.record(89);
		assertThat(tracker.steadyNanos()).isPositive();
		long window = tracker.steadyNanos();
		for (int i = 90; i < 100; i++) {
			tracker.record(i);
		}
		assertThat(tracker.steadyNanos()).as("the tail is outside the window").isEqualTo(window);
	}

	@Test
	void aRunTooShortForAWindowHasNone() {
		DeliveryTracker tracker = new DeliveryTracker(9);
		for (int i = 0; i < 9; i++) {
			tracker.record(i);
		}
		assertThat(tracker.steadyMessages()).isZero();
		assertThat(tracker.steadyNanos()).isZero();
	}

}
