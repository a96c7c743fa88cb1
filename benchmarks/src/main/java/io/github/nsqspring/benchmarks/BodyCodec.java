package io.github.nsqspring.benchmarks;

import java.util.Arrays;

/**
 * Message bodies the harness publishes: ASCII, so a {@code String} listener reads them
 * too. Bytes 0-15 hold the sequence number (hex), byte 16 a space, bytes 17-32 the
 * publisher's {@link System#nanoTime()} (hex), the rest is filler up to the requested
 * size. The sequence number lets a consumer count distinct messages and duplicates
 * without keeping every message id; the timestamp gives publish → handler latency when
 * publisher and consumer share the JVM.
 */
public final class BodyCodec {

	/** Bytes taken by sequence number and timestamp. */
	public static final int HEADER_SIZE = 33;

	private static final byte[] HEX = "0123456789abcdef".getBytes();

	private BodyCodec() {
	}

	/**
	 * Build a body.
	 * @param sequence the message's sequence number
	 * @param nanoTime the publisher's clock
	 * @param size the body size, at least {@link #HEADER_SIZE}
	 * @return the body
	 */
	public static byte[] encode(long sequence, long nanoTime, int size) {
		if (size < HEADER_SIZE) {
			throw new IllegalArgumentException("size must be at least " + HEADER_SIZE + ", was " + size);
		}
		byte[] body = new byte[size];
		writeHex(body, 0, sequence);
		body[16] = ' ';
		writeHex(body, 17, nanoTime);
		Arrays.fill(body, HEADER_SIZE, size, (byte) 'x');
		return body;
	}

	/**
	 * Write another sequence number and timestamp into a body built by {@link #encode},
	 * so a publisher can reuse one body once the client no longer needs it (a synchronous
	 * publish returned) instead of allocating one per message inside the timed window.
	 * @param body the body to rewrite
	 * @param sequence the message's sequence number
	 * @param nanoTime the publisher's clock
	 * @return the body
	 */
	public static byte[] rewrite(byte[] body, long sequence, long nanoTime) {
		writeHex(body, 0, sequence);
		writeHex(body, 17, nanoTime);
		return body;
	}

	/**
	 * The sequence number of a body.
	 * @param body a body built by {@link #encode}
	 * @return the sequence number
	 */
	public static long sequence(byte[] body) {
		return readHex(body, 0);
	}

	/**
	 * The publisher's {@link System#nanoTime()} in a body.
	 * @param body a body built by {@link #encode}
	 * @return the timestamp
	 */
	public static long nanoTime(byte[] body) {
		return readHex(body, 17);
	}

	/**
	 * The sequence number of a body received as text.
	 * @param body the body as a string
	 * @return the sequence number
	 */
	public static long sequence(String body) {
		return Long.parseUnsignedLong(body, 0, 16, 16);
	}

	/**
	 * The timestamp of a body received as text.
	 * @param body the body as a string
	 * @return the timestamp
	 */
	public static long nanoTime(String body) {
		return Long.parseUnsignedLong(body, 17, 33, 16);
	}

	private static void writeHex(byte[] target, int offset, long value) {
		for (int i = 15; i >= 0; i--) {
			target[offset + i] = HEX[(int) (value & 0xf)];
			value >>>= 4;
		}
	}

	private static long readHex(byte[] source, int offset) {
		if (source.length < HEADER_SIZE) {
			throw new IllegalArgumentException("not a benchmark body: " + source.length + " bytes");
		}
		long value = 0;
		for (int i = 0; i < 16; i++) {
			int c = source[offset + i];
			int digit;
			if (c >= '0' && c <= '9') {
				digit = c - '0';
			}
			else if (c >= 'a' && c <= 'f') {
				digit = c - 'a' + 10;
			}
			else {
				throw new IllegalArgumentException("not a benchmark body: byte " + (offset + i) + " is " + c);
			}
			value = (value << 4) | digit;
		}
		return value;
	}

}
