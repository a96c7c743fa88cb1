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
		return readHex(body, 0);
	}

	/**
	 * The timestamp of a body received as text.
	 * @param body the body as a string
	 * @return the timestamp
	 */
	public static long nanoTime(String body) {
		return readHex(body, 17);
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
			value = (value << 4) | hexDigit(source[offset + i], offset + i);
		}
		return value;
	}

	/**
	 * The same loop over a {@code String}: a listener that takes its payload as text does
	 * the same work per message as a handler of bytes. {@code Long.parseUnsignedLong}
	 * over a {@code CharSequence} cost a fifth of the Spring listener thread's samples
	 * and was counted as the Spring layer's cost in spring-consume.
	 */
	private static long readHex(String source, int offset) {
		if (source.length() < HEADER_SIZE) {
			throw new IllegalArgumentException("not a benchmark body: " + source.length() + " characters");
		}
		long value = 0;
		for (int i = 0; i < 16; i++) {
			value = (value << 4) | hexDigit(source.charAt(offset + i), offset + i);
		}
		return value;
	}

	private static int hexDigit(int c, int position) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		throw new IllegalArgumentException("not a benchmark body: character " + position + " is " + c);
	}

}
