package io.github.nsqspring.benchmarks.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The few bytes of the NSQ protocol that publishing on a bare socket needs (no IDENTIFY,
 * no client library): the magic, PUB, and reading nsqd's answers. Shared by the
 * benchmark's bare-socket publishers, which show what nsqd and this machine allow before
 * a client adds its own cost.
 */
public final class BareWire {

	/** The protocol's magic, the first bytes on a connection. */
	public static final byte[] MAGIC = "  V2".getBytes(StandardCharsets.US_ASCII);

	/** The answer to a heartbeat. */
	public static final byte[] NOP = "NOP\n".getBytes(StandardCharsets.US_ASCII);

	private static final int FRAME_RESPONSE = 0;

	private static final int FRAME_ERROR = 1;

	private static final String HEARTBEAT = "_heartbeat_";

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	/**
	 * No byte for this long fails a read instead of hanging it (nsqd's heartbeats come
	 * every 30 s).
	 */
	private static final int READ_TIMEOUT_MILLIS = 60_000;

	private BareWire() {
	}

	/**
	 * The socket address of an nsqd.
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 * @return the address, not resolved
	 * @throws IllegalArgumentException when the address is not {@code host:port}
	 */
	public static InetSocketAddress address(String nsqdAddress) {
		int colon = nsqdAddress.lastIndexOf(':');
		if (colon <= 0) {
			throw new IllegalArgumentException("nsqd address '" + nsqdAddress + "' is not host:port");
		}
		try {
			return InetSocketAddress.createUnresolved(nsqdAddress.substring(0, colon),
					Integer.parseInt(nsqdAddress.substring(colon + 1)));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("nsqd address '" + nsqdAddress + "' is not host:port", ex);
		}
	}

	/**
	 * Connect to nsqd and write the magic: the connection is ready for PUBs.
	 * @param address nsqd's address ({@link #address(String)})
	 * @return the socket, without Nagle's delay, whose reads fail after a minute without
	 * a byte
	 * @throws IOException when nsqd cannot be reached
	 */
	public static Socket connect(InetSocketAddress address) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MILLIS);
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			socket.getOutputStream().write(MAGIC);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * The first line of a PUB.
	 * @param topic the topic
	 * @return {@code PUB <topic>\n}
	 */
	public static byte[] pubHead(String topic) {
		return ("PUB " + topic + "\n").getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Write a PUB command into {@code target}.
	 * @param target where
	 * @param offset at which index
	 * @param head the command's first line ({@link #pubHead(String)})
	 * @param body the body
	 * @return the index after the command
	 */
	public static int putPub(byte[] target, int offset, byte[] head, byte[] body) {
		System.arraycopy(head, 0, target, offset, head.length);
		int at = offset + head.length;
		target[at] = (byte) (body.length >>> 24);
		target[at + 1] = (byte) (body.length >>> 16);
		target[at + 2] = (byte) (body.length >>> 8);
		target[at + 3] = (byte) body.length;
		System.arraycopy(body, 0, target, at + 4, body.length);
		return at + 4 + body.length;
	}

	/**
	 * Reads nsqd's answers to PUBs from one connection.
	 */
	public static final class Answers {

		private final InputStream in;

		private final byte[] buffer = new byte[64 * 1024];

		private int filled;

		/**
		 * Answers read from a connection's input.
		 * @param in the input
		 */
		public Answers(InputStream in) {
			this.in = in;
		}

		/**
		 * Read once (blocking) and count the {@code OK}s among the frames now complete.
		 * @param heartbeat answers a heartbeat (nsqd closes a connection that misses two)
		 * @return how many PUBs were answered {@code OK}, -1 when nsqd closed the
		 * connection
		 * @throws IOException when nsqd answered with an error frame or sent something
		 * that is no answer to a PUB
		 */
		public int read(HeartbeatAnswer heartbeat) throws IOException {
			int read = this.in.read(this.buffer, this.filled, this.buffer.length - this.filled);
			if (read < 0) {
				return -1;
			}
			this.filled += read;
			int position = 0;
			int oks = 0;
			while (this.filled - position >= 8) {
				int frameSize = readInt(position);
				if (frameSize < 4 || frameSize > this.buffer.length - 4) {
					throw new IOException("nsqd sent a frame of " + frameSize + " bytes, not an answer to PUB");
				}
				if (this.filled - position < 4 + frameSize) {
					break;
				}
				int type = readInt(position + 4);
				int dataLength = frameSize - 4;
				if (type == FRAME_ERROR) {
					throw new IOException("nsqd answered "
							+ new String(this.buffer, position + 8, dataLength, StandardCharsets.US_ASCII));
				}
				if (type == FRAME_RESPONSE && dataLength == 2 && this.buffer[position + 8] == 'O'
						&& this.buffer[position + 9] == 'K') {
					oks++;
				}
				else {
					String data = new String(this.buffer, position + 8, dataLength, StandardCharsets.US_ASCII);
					if (type != FRAME_RESPONSE || !HEARTBEAT.equals(data)) {
						throw new IOException("unexpected frame of type " + type + " from nsqd: " + data);
					}
					heartbeat.answer();
				}
				position += 4 + frameSize;
			}
			System.arraycopy(this.buffer, position, this.buffer, 0, this.filled - position);
			this.filled -= position;
			return oks;
		}

		private int readInt(int offset) {
			byte[] source = this.buffer;
			return ((source[offset] & 0xff) << 24) | ((source[offset + 1] & 0xff) << 16)
					| ((source[offset + 2] & 0xff) << 8) | (source[offset + 3] & 0xff);
		}

	}

	/**
	 * Writes {@link #NOP} on the connection, the way its writer writes.
	 */
	@FunctionalInterface
	public interface HeartbeatAnswer {

		/**
		 * Answer a heartbeat.
		 * @throws IOException when the write failed
		 */
		void answer() throws IOException;

	}

}
