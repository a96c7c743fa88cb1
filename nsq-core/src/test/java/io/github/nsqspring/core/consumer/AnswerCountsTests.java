package io.github.nsqspring.core.consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer's totals are the sums over its connections, and what a closed connection
 * counted stays in them.
 */
class AnswerCountsTests {

	@Test
	void totalsSumEveryConnectionAndKeepAClosedOnesCounts() {
		AnswerCounts counts = new AnswerCounts();
		RecordingConnection first = new RecordingConnection("127.0.0.1:1", null);
		RecordingConnection second = new RecordingConnection("127.0.0.1:2", null);
		counts.add(first);
		counts.add(second);
		receive(first, 3);
		answer(first, 2, true);
		answer(first, 1, false);
		receive(second, 4);
		answer(second, 1, true);
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(7, 3, 3, 1));
		// closed with everything answered: retired, and still counted
		first.closed = true;
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(7, 3, 3, 1));
		answer(second, 3, true);
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(7, 0, 6, 1));
	}

	@Test
	void aClosedConnectionWithMessagesInFlightStaysCountedUntilTheyAreAnswered() {
		AnswerCounts counts = new AnswerCounts();
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", null);
		counts.add(connection);
		receive(connection, 2);
		connection.closed = true;
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(2, 2, 0, 0));
		// e.g. given up as unanswerable by the worker that took it
		connection.inFlight.answered();
		connection.inFlight.answered();
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(2, 0, 0, 0));
		assertThat(counts.totals()).isEqualTo(new AnswerCounts.Totals(2, 0, 0, 0));
	}

	private static void receive(ConsumerConnection connection, int messages) {
		for (int i = 0; i < messages; i++) {
			connection.inFlight.receive();
		}
	}

	private static void answer(ConsumerConnection connection, int messages, boolean finish) {
		for (int i = 0; i < messages; i++) {
			(finish ? connection.finished : connection.requeued).increment();
			connection.inFlight.answered();
		}
	}

}
