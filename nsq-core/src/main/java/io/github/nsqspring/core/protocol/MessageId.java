package io.github.nsqspring.core.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A 16-byte nsqd message id kept as two {@code long}s (bytes 0–7 and 8–15, big-endian),
 * so that a consumer holds a message's id without an array per message. nsqd's ids are 16
 * ASCII hex characters; these helpers convert between the two forms and write an id into
 * a command line.
 */
public final class MessageId {

	/** Bytes of a message id. */
	public static final int SIZE = 16;

	private MessageId() {
	}

	/**
	 * Bytes 0–7 of an id.
	 * @param id the 16-byte id
	 * @return the first half
	 * @throws IllegalArgumentException when the id is not 16 bytes
	 */
	public static long high(byte[] id) {
		requireSize(id);
		return toLong(id, 0);
	}

	/**
	 * Bytes 8–15 of an id.
	 * @param id the 16-byte id
	 * @return the second half
	 * @throws IllegalArgumentException when the id is not 16 bytes
	 */
	public static long low(byte[] id) {
		requireSize(id);
		return toLong(id, 8);
	}

	/**
	 * The id as bytes.
	 * @param high bytes 0–7
	 * @param low bytes 8–15
	 * @return a new 16-byte array
	 */
	public static byte[] toBytes(long high, long low) {
		byte[] id = new byte[SIZE];
		write(high, low, id, 0);
		return id;
	}

	/**
	 * The id as text.
	 * @param high bytes 0–7
	 * @param low bytes 8–15
	 * @return 16 characters
	 */
	public static String toText(long high, long low) {
		return new String(toBytes(high, low), StandardCharsets.US_ASCII);
	}

	/**
	 * Write the id's 16 bytes into an array.
	 * @param high bytes 0–7
	 * @param low bytes 8–15
	 * @param target the array
	 * @param offset where the id starts
	 */
	public static void write(long high, long low, byte[] target, int offset) {
		for (int i = 0; i < 8; i++) {
			target[offset + i] = (byte) (high >>> (56 - 8 * i));
			target[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
		}
	}

	static long toLong(byte[] bytes, int at) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (bytes[at + i] & 0xFFL);
		}
		return value;
	}

	private static void requireSize(byte[] id) {
		if (id == null || id.length != SIZE) {
			throw new IllegalArgumentException(
					"message id must be " + SIZE + " bytes, was " + ((id != null) ? id.length : null));
		}
	}

}
