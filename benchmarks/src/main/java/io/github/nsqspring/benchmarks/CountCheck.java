package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The harness's correctness checks: a run that lost or duplicated messages fails, however
 * fast it was. Each method returns the problems found, empty when the counts are right.
 */
public final class CountCheck {

	private CountCheck() {
	}

	/**
	 * After a publish run: nsqd must hold exactly the messages the client had
	 * acknowledged.
	 * @param stats the topic's counters after the run
	 * @param acknowledged publishes the client reported as done
	 * @param expected messages the run meant to publish
	 * @return problems, empty when nsqd counts exactly {@code expected}
	 */
	public static List<String> published(NsqdStats stats, long acknowledged, long expected) {
		List<String> problems = new ArrayList<>();
		if (acknowledged != expected) {
			problems.add("client acknowledged " + acknowledged + " of " + expected + " publishes");
		}
		long onNsqd = stats.messageCount();
		if (onNsqd < expected) {
			problems.add("lost " + (expected - onNsqd) + " messages: nsqd counts " + onNsqd + " on topic "
					+ stats.topic() + ", expected " + expected);
		}
		else if (onNsqd > expected) {
			problems.add("duplicated " + (onNsqd - expected) + " messages: nsqd counts " + onNsqd + " on topic "
					+ stats.topic() + ", expected " + expected);
		}
		return problems;
	}

	/**
	 * After a consume run: every pre-filled message was handled, nsqd holds none of them
	 * any more and nothing foreign arrived. Duplicates are allowed by at-least-once
	 * delivery; they are reported by the caller, not failed here.
	 * @param stats the topic's counters after the handlers finished
	 * @param channel the consumed channel
	 * @param tracker what the handlers saw
	 * @return problems, empty when every message was handled and finished
	 */
	public static List<String> consumed(NsqdStats stats, String channel, DeliveryTracker tracker) {
		List<String> problems = new ArrayList<>();
		long expected = tracker.expected();
		if (tracker.distinct() < expected) {
			problems.add("lost " + (expected - tracker.distinct()) + " messages: handlers saw " + tracker.distinct()
					+ " distinct of " + expected);
		}
		if (tracker.foreign() > 0) {
			problems.add(tracker.foreign() + " deliveries carried a sequence number outside this run");
		}
		NsqdStats.ChannelStats ch = stats.channel(channel);
		if (ch == null) {
			problems.add("channel " + channel + " missing from nsqd stats of topic " + stats.topic());
			return problems;
		}
		if (stats.messageCount() != expected) {
			problems.add("nsqd counts " + stats.messageCount() + " messages on topic " + stats.topic() + ", expected "
					+ expected);
		}
		if (ch.unfinished() > 0) {
			problems.add(ch.unfinished() + " messages not finished on nsqd (depth " + ch.depth() + ", in flight "
					+ ch.inFlight() + ", deferred " + ch.deferred() + ")");
		}
		return problems;
	}

}
