package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.nsqspring.core.NsqInvalidMessageException;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * Builds publish commands and checks them against nsqd's limits before anything is sent:
 * nsqd answers a bad name, an empty or oversized message or an out-of-range delay with a
 * fatal error that closes the connection every caller shares, so such input has to fail
 * here, for its caller only.
 */
final class Commands {

	private final int maxMessageSize;

	private final int maxBodySize;

	private final Duration maxDeferDelay;

	Commands(ProducerSettings settings) {
		this.maxMessageSize = settings.maxMessageSize();
		this.maxBodySize = settings.maxBodySize();
		this.maxDeferDelay = settings.maxDeferDelay();
	}

	NsqCommand pub(String topic, byte[] body) {
		NsqCommand command = NsqCommand.pub(topic, body);
		checkMessageSize(body.length, "message body");
		return command;
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

	private void checkMessageSize(int size, String what) {
		if (size > this.maxMessageSize) {
			throw new NsqInvalidMessageException(what + " of " + size + " bytes exceeds nsqd's max message size of "
					+ this.maxMessageSize + " bytes (--max-msg-size)");
		}
	}

}
