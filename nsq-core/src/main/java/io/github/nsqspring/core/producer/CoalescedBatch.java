package io.github.nsqspring.core.producer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executor;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * PUBs to one topic sent together as one MPUB: nsqd answers once for all of them (one
 * write, one answer instead of one each), which is where most of nsqd's cost per PUB
 * goes. Each caller still gets its own result. MPUB is atomic, so the messages are
 * published all together or not at all.
 * <p>
 * The members are chained through {@link PendingPublish#next} and the batch writes the
 * MPUB from their bodies itself: coalescing allocates this object per batch and nothing
 * per message. Members drop their body and link once answered.
 */
final class CoalescedBatch implements Runnable, PendingCommand, WireCommand {

	private final NsqdSession session;

	private final byte[] mpubLine;

	private final PendingPublish first;

	private final int size;

	/** What the messages take on the wire: 4 + length each. */
	private final long messagesBytes;

	boolean enqueued;

	long sequence;

	/**
	 * A batch.
	 * @param session the connection it is sent on
	 * @param mpubLine the topic's MPUB line ({@code null} for a batch that is only
	 * failed)
	 * @param first the first member, the others chained behind it
	 * @param size the number of members
	 * @param messagesBytes what the messages take on the wire
	 */
	CoalescedBatch(NsqdSession session, byte[] mpubLine, PendingPublish first, int size, long messagesBytes) {
		this.session = session;
		this.mpubLine = mpubLine;
		this.first = first;
		this.size = size;
		this.messagesBytes = messagesBytes;
	}

	@Override
	public void run() {
		for (PendingPublish member = this.first; member != null; member = member.next) {
			member.maybePublished = true;
			member.enqueued = true;
		}
		this.sequence = this.session.enqueue(this);
		this.enqueued = true;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		NsqCommand.writeMpubStart(out, this.mpubLine, this.size, this.messagesBytes);
		for (PendingPublish member = this.first; member != null; member = member.next) {
			NsqCommand.writeMessage(out, member.body);
		}
	}

	@Override
	public int messages() {
		return this.size;
	}

	@Override
	public int permits() {
		return this.size;
	}

	@Override
	public void succeed(Executor executor) {
		PendingPublish member = this.first;
		while (member != null) {
			PendingPublish following = release(member);
			member.succeed(executor);
			member = following;
		}
	}

	@Override
	public void fail(NsqException failure, boolean published, Executor executor) {
		PendingPublish member = this.first;
		while (member != null) {
			PendingPublish following = release(member);
			member.fail(failure, published, executor);
			member = following;
		}
	}

	/**
	 * Unlink an answered member and drop its message: a caller keeping its future keeps
	 * neither the message nor the rest of the batch.
	 */
	private static PendingPublish release(PendingPublish member) {
		PendingPublish following = member.next;
		member.next = null;
		member.body = null;
		return following;
	}

}
