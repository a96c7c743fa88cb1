package io.github.nsqspring.core.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import io.github.nsqspring.core.NsqConnectionException;

/**
 * Reads frames from an nsqd connection. It buffers reads itself (one reader thread per
 * connection, so no locking) and checks every frame: a negative or oversized size, a size
 * that spells {@code HTTP} (an HTTP port), an unknown frame type, a message shorter than
 * its 26-byte header, or a stream that ends inside a frame each raise an
 * {@link NsqConnectionException} naming the problem, the connection and the frame's
 * offset in the stream.
 * <p>
 * Only the reader thread may call {@link #read()}.
 */
public final class FrameReader {

	/** The 4-byte size {@code "HTTP"}, seen when talking to an HTTP port. */
	static final int HTTP_SIZE = 0x48545450;

	/** Largest frame accepted when no {@code max_msg_size} is configured. */
	public static final int DEFAULT_MAX_FRAME_SIZE = 256 * 1024 * 1024;

	/**
	 * Frame payloads up to this size are allocated at once; larger ones grow as their
	 * bytes arrive, so that a corrupt or hostile size cannot allocate hundreds of MiB
	 * before the stream proves it short.
	 */
	static final int EAGER_ALLOCATION_LIMIT = 1024 * 1024;

	/** Smallest read buffer: it must hold at least a message frame's 26-byte header. */
	static final int MIN_BUFFER_SIZE = 32;

	private final InputStream in;

	private final String source;

	private final int maxFrameSize;

	private final byte[] buffer;

	private int position;

	private int limit;

	private long offset;

	/**
	 * Create a reader.
	 * @param in the stream (after any TLS or compression layers)
	 * @param source the connection, named in error messages (e.g.
	 * {@code nsqd 127.0.0.1:4150})
	 * @param maxMessageSize the configured {@code max_msg_size}, 0 for the default limit
	 * @param bufferSize the read buffer size (at least {@value #MIN_BUFFER_SIZE} is used)
	 */
	public FrameReader(InputStream in, String source, int maxMessageSize, int bufferSize) {
		this.in = in;
		this.source = source;
		this.maxFrameSize = (maxMessageSize > 0)
				? (int) Math.min(Integer.MAX_VALUE, (long) maxMessageSize + 4 + Frame.MESSAGE_HEADER_SIZE)
				: DEFAULT_MAX_FRAME_SIZE;
		this.buffer = new byte[Math.max(bufferSize, MIN_BUFFER_SIZE)];
	}

	/**
	 * Read one frame exactly, without reading any byte past it. Used during IDENTIFY,
	 * where the bytes after the answer belong to a TLS or compression layer not yet
	 * installed.
	 * @param in the stream
	 * @param source the connection, named in error messages
	 * @return the frame
	 * @throws IOException when the stream fails
	 * @throws NsqConnectionException when the frame is invalid or the stream ends
	 */
	public static Frame readExactly(InputStream in, String source) throws IOException {
		byte[] header = readFully(in, 8, source, 0);
		int size = toInt(header, 0);
		checkSize(size, DEFAULT_MAX_FRAME_SIZE, source, 0);
		byte[] data = readFully(in, size - 4, source, 8);
		return decode(toInt(header, 4), data, source, 0);
	}

	/**
	 * Read the next frame.
	 * @return the frame
	 * @throws IOException when the stream fails (including read timeouts)
	 * @throws NsqConnectionException when the frame is invalid or the stream ends
	 */
	public Frame read() throws IOException {
		return read(null);
	}

	/**
	 * Read the next frame, handing a message frame to {@code messages} as its parts
	 * instead of returning a {@link Frame.Message}: a consumer's reader allocates then
	 * only the body and the consumer's own object per message.
	 * @param messages takes message frames, or {@code null} to have them returned
	 * @return the frame, or {@code null} when it was a message given to {@code messages}
	 * @throws IOException when the stream fails (including read timeouts)
	 * @throws NsqConnectionException when the frame is invalid or the stream ends
	 */
	public Frame read(MessageReceiver messages) throws IOException {
		long frameOffset = this.offset;
		int size = readInt(frameOffset);
		checkSize(size, this.maxFrameSize, this.source, frameOffset);
		int type = readInt(frameOffset);
		int length = size - 4;
		if (type == Frame.TYPE_MESSAGE) {
			if (length < Frame.MESSAGE_HEADER_SIZE) {
				throw new NsqConnectionException(
						"invalid message frame from " + this.source + " at offset " + frameOffset + ": " + length
								+ " bytes, less than the " + Frame.MESSAGE_HEADER_SIZE + "-byte message header");
			}
			require(Frame.MESSAGE_HEADER_SIZE, frameOffset);
			long timestamp = MessageId.toLong(this.buffer, this.position);
			int attempts = ((this.buffer[this.position + 8] & 0xFF) << 8) | (this.buffer[this.position + 9] & 0xFF);
			long idHigh = MessageId.toLong(this.buffer, this.position + 10);
			long idLow = MessageId.toLong(this.buffer, this.position + 18);
			consume(Frame.MESSAGE_HEADER_SIZE);
			byte[] body = readBytes(length - Frame.MESSAGE_HEADER_SIZE, frameOffset);
			if (messages != null) {
				messages.onMessage(timestamp, attempts, idHigh, idLow, body);
				return null;
			}
			return new Frame.Message(timestamp, attempts, MessageId.toBytes(idHigh, idLow), body);
		}
		if (type != Frame.TYPE_RESPONSE && type != Frame.TYPE_ERROR) {
			throw unknownType(type, this.source, frameOffset);
		}
		if (type == Frame.TYPE_RESPONSE && length == 2 && isOkAhead(frameOffset)) {
			consume(2);
			return Frame.Response.OK_RESPONSE;
		}
		byte[] data = readBytes(length, frameOffset);
		return (type == Frame.TYPE_RESPONSE) ? new Frame.Response(data) : Frame.Error.of(data);
	}

	/**
	 * Whether the next frame is already complete in the read buffer, so that reading it
	 * does not wait for the stream. (A stream below may hold more bytes of its own, e.g.
	 * a decompressor: then a read may still return without waiting.)
	 * @return {@code true} when {@link #read()} can return the next frame from the buffer
	 */
	public boolean hasBufferedFrame() {
		int available = this.limit - this.position;
		// an invalid size counts as buffered: reading it fails at once
		return available >= 4 && (long) toInt(this.buffer, this.position) + 4 <= available;
	}

	private boolean isOkAhead(long frameOffset) throws IOException {
		require(2, frameOffset);
		return this.buffer[this.position] == 'O' && this.buffer[this.position + 1] == 'K';
	}

	private int readInt(long frameOffset) throws IOException {
		require(4, frameOffset);
		int value = toInt(this.buffer, this.position);
		consume(4);
		return value;
	}

	private void consume(int count) {
		this.position += count;
		this.offset += count;
	}

	/** Make at least {@code count} bytes (at most the buffer size) available. */
	private void require(int count, long frameOffset) throws IOException {
		if (this.limit - this.position >= count) {
			return;
		}
		if (this.position > 0) {
			System.arraycopy(this.buffer, this.position, this.buffer, 0, this.limit - this.position);
			this.limit -= this.position;
			this.position = 0;
		}
		while (this.limit < count) {
			int n = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
			if (n < 0) {
				throw endOfStream(frameOffset);
			}
			this.limit += n;
		}
	}

	/** Read {@code length} bytes into a new array (grown step by step when large). */
	private byte[] readBytes(int length, long frameOffset) throws IOException {
		byte[] target = new byte[Math.min(length, EAGER_ALLOCATION_LIMIT)];
		readInto(target, 0, target.length, frameOffset);
		while (target.length < length) {
			int filled = target.length;
			target = Arrays.copyOf(target, (int) Math.min(length, 2L * filled));
			readInto(target, filled, target.length - filled, frameOffset);
		}
		return target;
	}

	/** Read exactly {@code length} bytes into {@code target} from {@code from}. */
	private void readInto(byte[] target, int from, int length, long frameOffset) throws IOException {
		int filled = Math.min(length, this.limit - this.position);
		System.arraycopy(this.buffer, this.position, target, from, filled);
		consume(filled);
		// large bodies bypass the buffer
		while (filled < length) {
			int remaining = length - filled;
			if (remaining < this.buffer.length / 2) {
				require(remaining, frameOffset);
				System.arraycopy(this.buffer, this.position, target, from + filled, remaining);
				consume(remaining);
				return;
			}
			int n = this.in.read(target, from + filled, remaining);
			if (n < 0) {
				throw endOfStream(frameOffset);
			}
			filled += n;
			this.offset += n;
		}
	}

	private NsqConnectionException endOfStream(long frameOffset) {
		boolean between = this.offset == frameOffset && this.position == this.limit;
		String where = between ? "between frames" : "in the middle of the frame at offset " + frameOffset;
		long received = this.offset + (this.limit - this.position);
		return new NsqConnectionException(
				"connection closed by " + this.source + " " + where + " (stream offset " + received + ")",
				new EOFException());
	}

	private static void checkSize(int size, int max, String source, long frameOffset) {
		if (size == HTTP_SIZE) {
			throw new NsqConnectionException(source + " answered with HTTP: this is an HTTP port, not nsqd's TCP port");
		}
		if (size < 4) {
			throw new NsqConnectionException(
					"invalid frame size " + size + " from " + source + " at offset " + frameOffset + " (minimum 4)");
		}
		if (size > max) {
			throw new NsqConnectionException("frame size " + size + " from " + source + " at offset " + frameOffset
					+ " exceeds the limit of " + max + " bytes (max_msg_size)");
		}
	}

	private static NsqConnectionException unknownType(int type, String source, long frameOffset) {
		return new NsqConnectionException("unknown frame type " + type + " from " + source + " at offset " + frameOffset
				+ " (expected 0, 1 or 2)");
	}

	private static Frame decode(int type, byte[] data, String source, long frameOffset) {
		switch (type) {
			case Frame.TYPE_RESPONSE:
				return new Frame.Response(data);
			case Frame.TYPE_ERROR:
				return Frame.Error.of(data);
			case Frame.TYPE_MESSAGE:
				if (data.length < Frame.MESSAGE_HEADER_SIZE) {
					throw new NsqConnectionException(
							"invalid message frame from " + source + " at offset " + frameOffset + ": " + data.length
									+ " bytes, less than the " + Frame.MESSAGE_HEADER_SIZE + "-byte message header");
				}
				long timestamp = ((long) toInt(data, 0) << 32) | (toInt(data, 4) & 0xFFFFFFFFL);
				int attempts = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
				byte[] id = new byte[16];
				System.arraycopy(data, 10, id, 0, 16);
				byte[] body = new byte[data.length - Frame.MESSAGE_HEADER_SIZE];
				System.arraycopy(data, Frame.MESSAGE_HEADER_SIZE, body, 0, body.length);
				return new Frame.Message(timestamp, attempts, id, body);
			default:
				throw unknownType(type, source, frameOffset);
		}
	}

	private static byte[] readFully(InputStream in, int length, String source, long offset) throws IOException {
		byte[] data = new byte[Math.min(length, EAGER_ALLOCATION_LIMIT)];
		int filled = 0;
		while (filled < length) {
			if (filled == data.length) {
				data = Arrays.copyOf(data, (int) Math.min(length, 2L * filled));
			}
			int n = in.read(data, filled, data.length - filled);
			if (n < 0) {
				throw new NsqConnectionException("connection closed by " + source + " in the middle of a frame ("
						+ (offset + filled) + " bytes read)", new EOFException());
			}
			filled += n;
		}
		return data;
	}

	static int toInt(byte[] bytes, int at) {
		return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
				| (bytes[at + 3] & 0xFF);
	}

}
