package io.github.nsqspring.benchmarks;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountCheckTests {

	@Test
	void publishPassesWhenNsqdHoldsExactlyWhatWasAcknowledged() {
		assertThat(CountCheck.published(topic(1000), 1000, 1000)).isEmpty();
	}

	@Test
	void publishFailsWhenMessagesWereLost() {
		assertThat(CountCheck.published(topic(998), 1000, 1000))
			.containsExactly("lost 2 messages: nsqd counts 998 on topic t, expected 1000");
	}

	@Test
	void publishFailsWhenMessagesWereDuplicated() {
		assertThat(CountCheck.published(topic(1003), 1000, 1000))
			.containsExactly("duplicated 3 messages: nsqd counts 1003 on topic t, expected 1000");
	}

	@Test
	void publishFailsWhenTheClientDidNotAcknowledgeEverything() {
		assertThat(CountCheck.published(topic(1000), 990, 1000))
			.containsExactly("client acknowledged 990 of 1000 publishes");
	}

	@Test
	void publishFailsOnAMissingTopic() {
		assertThat(CountCheck.published(NsqdStats.absent("t"), 10, 10)).singleElement()
			.asString()
			.startsWith("lost 10 messages");
	}

	@Test
	void consumePassesWhenEveryMessageWasHandledAndFinished() {
		DeliveryTracker tracker = seen(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(CountCheck.consumed(consumed(10, 0, 0), "c", tracker)).isEmpty();
	}

	@Test
	void consumeAllowsDuplicatesButFailsOnLoss() {
		DeliveryTracker duplicated = seen(3, 0, 1, 2, 2, 1);
		assertThat(CountCheck.consumed(consumed(3, 0, 0), "c", duplicated)).isEmpty();
		assertThat(duplicated.duplicates()).isEqualTo(2);

		DeliveryTracker lost = seen(3, 0, 2);
		assertThat(CountCheck.consumed(consumed(3, 0, 0), "c", lost))
			.containsExactly("lost 1 messages: handlers saw 2 distinct of 3");
	}

	@Test
	void consumeFailsWhenNsqdStillHoldsMessages() {
		DeliveryTracker tracker = seen(3, 0, 1, 2);
		assertThat(CountCheck.consumed(consumed(3, 1, 2), "c", tracker))
			.containsExactly("3 messages not finished on nsqd (depth 1, in flight 2, deferred 0)");
	}

	@Test
	void consumeFailsOnForeignMessagesAndWrongTopicCounts() {
		DeliveryTracker tracker = seen(2, 0, 1, 7);
		assertThat(CountCheck.consumed(consumed(5, 0, 0), "c", tracker)).containsExactly(
				"1 deliveries carried a sequence number outside this run",
				"nsqd counts 5 messages on topic t, expected 2");
	}

	@Test
	void consumeFailsWhenTheChannelIsMissing() {
		DeliveryTracker tracker = seen(1, 0);
		assertThat(CountCheck.consumed(topic(1), "c", tracker))
			.containsExactly("channel c missing from nsqd stats of topic t");
	}

	private static NsqdStats topic(long messageCount) {
		return new NsqdStats("t", messageCount, messageCount, Map.of());
	}

	private static NsqdStats consumed(long messageCount, long depth, long inFlight) {
		return new NsqdStats("t", 0, messageCount,
				Map.of("c", new NsqdStats.ChannelStats(depth, inFlight, 0, messageCount, 0, 0, 1)));
	}

	private static DeliveryTracker seen(long expected, long... sequences) {
		DeliveryTracker tracker = new DeliveryTracker(expected);
		for (long sequence : sequences) {
			tracker.record(sequence);
		}
		return tracker;
	}

}
