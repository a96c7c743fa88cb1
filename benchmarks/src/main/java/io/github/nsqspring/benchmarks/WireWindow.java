package io.github.nsqspring.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PUBs written by one thread on a bare socket, with no client library, at most
 * {@code outstanding} unanswered: each read's {@code OK}s are replaced by as many new
 * PUBs in one write. It does only what the wire requires (no futures, no other thread, no
 * hand-off), so its throughput is the most any client keeping that many PUBs unanswered
 * on one connection can get from this nsqd on this machine: the limit that eight
 * synchronous callers on one producer meet, whatever the client.
 */
final class WireWindow {

	private static final int FRAME_RESPONSE = 0;

	private static final int FRAME_ERROR = 1;

	private static final byte[] MAGIC = "  V2".getBytes(StandardCharsets.US_ASCII);

	private static final String HEARTBEAT = "_heartbeat_";

	private static final byte[] NOP = "NOP\n".getBytes(StandardCharsets.US_ASCII);

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	/** No answer for this long fails the run instead of hanging it. */
	private static final int READ_TIMEOUT_MILLIS = 60_000;

	private final String host;

	private final int port;

	private final int outstanding;

	private final int size;

	/**
	 * A window.
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 * @param outstanding most PUBs unanswered
	 * @param size body size
	 */
	WireWindow(String nsqdAddress, int outstanding, int size) {
		int colon = nsqdAddress.lastIndexOf(':');
		if (colon <= 0) {
			throw new IllegalArgumentException("nsqd address '" + nsqdAddress + "' is not host:port");
		}
		this.host = nsqdAddress.substring(0, colon);
		this.port = Integer.parseInt(nsqdAddress.substring(colon + 1));
		this.outstanding = outstanding;
		this.size = size;
	}

	/**
	 * Publish {@code total} messages on a connection of their own.
	 * @param topic the topic
	 * @param total how many
	 * @param acknowledged counts the {@code OK}s as they arrive (for progress)
	 * @throws IOException when nsqd answers with an error, closes, or goes silent
	 */
	void publish(String topic, long total, AtomicLong acknowledged) throws IOException {
		byte[] head = ("PUB " + topic + "\n").getBytes(StandardCharsets.US_ASCII);
		byte[] body = BodyCodec.encode(0, 0, this.size);
		int command = head.length + 4 + this.size;
		byte[] writes = new byte[command * this.outstanding];
		byte[] reads = new byte[64 * 1024];
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), CONNECT_TIMEOUT_MILLIS);
			socket.setTcpNoDelay(true);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(MAGIC);
			long sent = 0;
			long answered = 0;
			int filled = 0;
			int first = (int) Math.min(this.outstanding, total);
			for (int i = 0; i < first; i++) {
				put(writes, i * command, head, BodyCodec.rewrite(body, sent++, 0));
			}
			out.write(writes, 0, first * command);
			while (answered < total) {
				int read = in.read(reads, filled, reads.length - filled);
				if (read < 0) {
					throw new EOFException("nsqd closed the connection after " + answered + " answers");
				}
				filled += read;
				int position = 0;
				int oks = 0;
				while (filled - position >= 8) {
					int frameSize = readInt(reads, position);
					if (frameSize < 4 || frameSize > reads.length - 4) {
						throw new IOException("nsqd sent a frame of " + frameSize + " bytes, not an answer to PUB");
					}
					if (filled - position < 4 + frameSize) {
						break;
					}
					int type = readInt(reads, position + 4);
					int dataLength = frameSize - 4;
					if (type == FRAME_ERROR) {
						throw new IOException("nsqd answered "
								+ new String(reads, position + 8, dataLength, StandardCharsets.US_ASCII));
					}
					if (type == FRAME_RESPONSE && dataLength == 2 && reads[position + 8] == 'O'
							&& reads[position + 9] == 'K') {
						oks++;
					}
					else {
						String data = new String(reads, position + 8, dataLength, StandardCharsets.US_ASCII);
						if (type != FRAME_RESPONSE || !HEARTBEAT.equals(data)) {
							throw new IOException("unexpected frame of type " + type + " from nsqd: " + data);
						}
						// every 30 s without IDENTIFY; nsqd closes a connection that
						// misses two
						out.write(NOP);
					}
					position += 4 + frameSize;
				}
				System.arraycopy(reads, position, reads, 0, filled - position);
				filled -= position;
				answered += oks;
				acknowledged.addAndGet(oks);
				int more = (int) Math.min(oks, total - sent);
				for (int i = 0; i < more; i++) {
					put(writes, i * command, head, BodyCodec.rewrite(body, sent++, 0));
				}
				if (more > 0) {
					out.write(writes, 0, more * command);
				}
			}
		}
	}

	private static void put(byte[] target, int offset, byte[] head, byte[] body) {
		System.arraycopy(head, 0, target, offset, head.length);
		int at = offset + head.length;
		target[at] = (byte) (body.length >>> 24);
		target[at + 1] = (byte) (body.length >>> 16);
		target[at + 2] = (byte) (body.length >>> 8);
		target[at + 3] = (byte) body.length;
		System.arraycopy(body, 0, target, at + 4, body.length);
	}

	private static int readInt(byte[] source, int offset) {
		return ((source[offset] & 0xff) << 24) | ((source[offset + 1] & 0xff) << 16)
				| ((source[offset + 2] & 0xff) << 8) | (source[offset + 3] & 0xff);
	}

}
