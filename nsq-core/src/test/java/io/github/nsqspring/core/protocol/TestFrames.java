package io.github.nsqspring.core.protocol;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Builds server → client frames byte by byte, and input streams that hand them out in
 * small pieces.
 */
final class TestFrames {

	private TestFrames() {
	}

	static byte[] frame(int type, byte[] data) {
		return ByteBuffer.allocate(8 + data.length).putInt(4 + data.length).putInt(type).put(data).array();
	}

	static byte[] response(String text) {
		return frame(Frame.TYPE_RESPONSE, ascii(text));
	}

	static byte[] error(String text) {
		return frame(Frame.TYPE_ERROR, ascii(text));
	}

	static byte[] message(long timestamp, int attempts, String id, byte[] body) {
		byte[] data = ByteBuffer.allocate(Frame.MESSAGE_HEADER_SIZE + body.length)
			.putLong(timestamp)
			.putShort((short) attempts)
			.put(ascii(id))
			.put(body)
			.array();
		return frame(Frame.TYPE_MESSAGE, data);
	}

	static byte[] header(int size, int type) {
		return ByteBuffer.allocate(8).putInt(size).putInt(type).array();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	static byte[] bytes(int... values) {
		byte[] result = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			result[i] = (byte) values[i];
		}
		return result;
	}

	/** A stream whose reads return at most {@code maxChunk} bytes, chosen at random. */
	static InputStream chunked(byte[] data, Random random, int maxChunk) {
		return new FilterInputStream(new java.io.ByteArrayInputStream(data)) {

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (len == 0) {
					return 0;
				}
				return super.read(b, off, Math.min(len, 1 + random.nextInt(maxChunk)));
			}

		};
	}

	/** A stream whose reads return exactly one byte. */
	static InputStream oneByteAtATime(byte[] data) {
		return new FilterInputStream(new java.io.ByteArrayInputStream(data)) {

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return (len == 0) ? 0 : super.read(b, off, 1);
			}

		};
	}

}
