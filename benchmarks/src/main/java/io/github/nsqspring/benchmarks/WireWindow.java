package io.github.nsqspring.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.benchmarks.client.BareWire;

/**
 * PUBs written by one thread on a bare socket, with no client library, at most
 * {@code outstanding} unanswered: each read's {@code OK}s are replaced by as many new
 * PUBs in one write. It does only what the wire requires (no futures, no other thread, no
 * hand-off), so its throughput is the most any client keeping that many PUBs unanswered
 * on one connection can get from this nsqd on this machine, before callers that wait for
 * their answers add their own cost (which {@code pub-sync --client bare-socket}
 * measures).
 */
final class WireWindow {

	private final InetSocketAddress address;

	private final int outstanding;

	private final int size;

	/**
	 * A window.
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 * @param outstanding most PUBs unanswered
	 * @param size body size
	 */
	WireWindow(String nsqdAddress, int outstanding, int size) {
		this.address = BareWire.address(nsqdAddress);
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
		byte[] head = BareWire.pubHead(topic);
		byte[] body = BodyCodec.encode(0, 0, this.size);
		int command = head.length + 4 + this.size;
		byte[] writes = new byte[command * this.outstanding];
		try (Socket socket = BareWire.connect(this.address)) {
			OutputStream out = socket.getOutputStream();
			BareWire.Answers answers = new BareWire.Answers(socket.getInputStream());
			// every 30 s without IDENTIFY
			BareWire.HeartbeatAnswer heartbeat = () -> out.write(BareWire.NOP);
			long sent = 0;
			long answered = 0;
			// the whole window first, then as many new PUBs as each read brought OKs
			int more = (int) Math.min(this.outstanding, total);
			while (true) {
				for (int i = 0; i < more; i++) {
					BareWire.putPub(writes, i * command, head, BodyCodec.rewrite(body, sent++, 0));
				}
				if (more > 0) {
					out.write(writes, 0, more * command);
				}
				if (answered >= total) {
					return;
				}
				int oks = answers.read(heartbeat);
				if (oks < 0) {
					throw new EOFException("nsqd closed the connection after " + answered + " answers");
				}
				answered += oks;
				acknowledged.addAndGet(oks);
				more = (int) Math.min(oks, total - sent);
			}
		}
	}

}
