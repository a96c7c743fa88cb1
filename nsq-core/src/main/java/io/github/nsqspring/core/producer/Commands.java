package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.nsqspring.core.NsqInvalidMessageException;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.NsqNames;

/**
 * Builds publish commands and checks them against nsqd's limits before anything is sent:
 * nsqd answers a bad name, an empty or oversized message or an out-of-range delay with a
 * fatal error that closes the connection every caller shares, so such input has to fail
 * here, for its caller only.
 * <p>
 * A PUB is not built as an {@link NsqCommand}: its line is kept per topic (checked once)
 * and the producer writes line and body itself, so a publish allocates no command, line
 * or text of its own.
 */
final class Commands {

	/**
	 * Topics whose lines are kept. Applications publish to a handful of topics; one that
	 * generates topic names still works past this, building each line anew.
	 */
	private static final int MAX_CACHED_TOPICS = 1024;

	private final int maxMessageSize;

	private final int maxBodySize;

	private final Duration maxDeferDelay;

	private final Map<String, TopicLines> lines = new ConcurrentHashMap<>();

	Commands(ProducerSettings settings) {
		this.maxMessageSize = settings.producer().getMaxMessageSize();
		this.maxBodySize = settings.producer().getMaxBodySize();
		this.maxDeferDelay = settings.producer().getMaxDeferDelay();
	}

	/**
	 * Check a PUB; its line is then kept for {@link #pubLine}.
	 * @param topic the topic
	 * @param body the message
	 */
	void checkPub(String topic, byte[] body) {
		lines(topic);
		NsqCommand.requireMessageBody(body);
		checkMessageSize(body.length, "message body");
	}

	NsqCommand mpub(String topic, List<byte[]> bodies) {
		NsqCommand command = NsqCommand.mpub(topic, bodies);
		checkMessageSize(command.largestMessage(), "a message of the batch");
		long size = command.bodySize();
		if (size > this.maxBodySize) {
			throw new NsqInvalidMessageException("MPUB batch of " + command.messageCount() + " messages is " + size
					+ " bytes on the wire, over nsqd's max body size of " + this.maxBodySize
					+ " bytes (--max-body-size); split it");
		}
		return command;
	}

	NsqCommand dpub(String topic, Duration delay, byte[] body) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative() || delay.compareTo(this.maxDeferDelay) > 0) {
			throw new IllegalArgumentException(
					"DPUB delay " + delay + " is outside 0 to " + this.maxDeferDelay + " (nsqd's --max-req-timeout)");
		}
		NsqCommand command = NsqCommand.dpub(topic, delay.toMillis(), body);
		checkMessageSize(body.length, "message body");
		return command;
	}

	/**
	 * The PUB line of a topic that passed {@link #checkPub}.
	 * @param topic the topic
	 * @return the line
	 */
	byte[] pubLine(String topic) {
		return lines(topic).pub;
	}

	/**
	 * The MPUB line of a topic that passed {@link #checkPub}, for PUBs coalesced into one
	 * MPUB.
	 * @param topic the topic
	 * @return the line
	 */
	byte[] mpubLine(String topic) {
		return lines(topic).mpub;
	}

	private TopicLines lines(String topic) {
		TopicLines known = (topic != null) ? this.lines.get(topic) : null;
		if (known != null) {
			return known;
		}
		NsqNames.requireValidTopic(topic);
		TopicLines fresh = new TopicLines(NsqCommand.pubLine(topic), NsqCommand.mpubLine(topic));
		if (this.lines.size() < MAX_CACHED_TOPICS) {
			this.lines.putIfAbsent(topic, fresh);
		}
		return fresh;
	}

	private void checkMessageSize(int size, String what) {
		if (size > this.maxMessageSize) {
			throw new NsqInvalidMessageException(what + " of " + size + " bytes exceeds nsqd's max message size of "
					+ this.maxMessageSize + " bytes (--max-msg-size)");
		}
	}

	private record TopicLines(byte[] pub, byte[] mpub) {
	}

}
