package io.github.nsqspring.core.consumer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.github.nsqspring.core.protocol.MessageId;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * FIN, REQ or TOUCH of one message, encoded into a line buffer of its own. A handler
 * worker keeps one and reuses it for every answer it writes (the connection copies the
 * line into its buffer before {@code send} returns), so that answering a message
 * allocates nothing; other threads take a new one per answer. Not thread-safe.
 */
final class MessageAnswer implements WireCommand {

	private static final byte[] FIN = ascii("FIN ");

	private static final byte[] REQ = ascii("REQ ");

	private static final byte[] TOUCH = ascii("TOUCH ");

	/** {@code TOUCH }, the id, a space, 19 digits of a long and the newline. */
	private final byte[] line = new byte[TOUCH.length + MessageId.SIZE + 1 + 19 + 1];

	private int length;

	private String name = "";

	/**
	 * Encode {@code FIN <id>}.
	 * @return this
	 */
	MessageAnswer fin(long idHigh, long idLow) {
		return encode("FIN", FIN, idHigh, idLow, -1);
	}

	/**
	 * Encode {@code REQ <id> <delay>}.
	 * @param delayMillis 0 or more
	 * @return this
	 */
	MessageAnswer req(long idHigh, long idLow, long delayMillis) {
		if (delayMillis < 0) {
			throw new IllegalArgumentException("REQ delay must be 0 or more, was " + delayMillis);
		}
		return encode("REQ", REQ, idHigh, idLow, delayMillis);
	}

	/**
	 * Encode {@code TOUCH <id>}.
	 * @return this
	 */
	MessageAnswer touch(long idHigh, long idLow) {
		return encode("TOUCH", TOUCH, idHigh, idLow, -1);
	}

	/**
	 * The command name of the last encoded answer.
	 * @return {@code FIN}, {@code REQ} or {@code TOUCH}
	 */
	String name() {
		return this.name;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		out.write(this.line, 0, this.length);
	}

	private MessageAnswer encode(String name, byte[] prefix, long idHigh, long idLow, long number) {
		byte[] target = this.line;
		System.arraycopy(prefix, 0, target, 0, prefix.length);
		int at = prefix.length;
		MessageId.write(idHigh, idLow, target, at);
		at += MessageId.SIZE;
		if (number >= 0) {
			target[at++] = ' ';
			int digits = 1;
			for (long rest = number / 10; rest > 0; rest /= 10) {
				digits++;
			}
			long rest = number;
			for (int i = at + digits - 1; i >= at; i--) {
				target[i] = (byte) ('0' + (rest % 10));
				rest /= 10;
			}
			at += digits;
		}
		target[at++] = '\n';
		this.length = at;
		this.name = name;
		return this;
	}

	@Override
	public String toString() {
		return new String(this.line, 0, Math.max(0, this.length - 1), StandardCharsets.US_ASCII);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
