package io.github.nsqspring.core.producer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * A future owed by nsqd: the one object a PUB allocates (48 bytes). It is its own
 * {@code beforeWrite} action (run under the connection's write lock, it joins the FIFO,
 * so the FIFO order is the wire order), and for a PUB sent alone also its own command: it
 * writes the topic's PUB line (kept per topic) and the body. PUBs coalesced into one MPUB
 * are chained through {@link #next}, the first standing for the batch in the FIFO. The
 * result is known before the answer (the nsqd, the topic and the count), and for single
 * messages shared per topic.
 */
final class PendingPublish extends CompletableFuture<PublishResult> implements Runnable, WireCommand {

	private final NsqdSession session;

	private final PublishResult result;

	/**
	 * The PUB's message until it was written (or, when coalesced, answered); then
	 * {@code null}, so a caller keeping the future does not keep the message.
	 */
	byte[] body;

	/**
	 * The next PUB of the same coalesced batch; written under the session's send lock.
	 */
	PendingPublish next;

	/** Set under the write lock when the command joined the FIFO. */
	boolean enqueued;

	/** Its position in the FIFO, set with enqueued. */
	long sequence;

	/**
	 * Whether nsqd may have read the command. {@code false} means the message was
	 * certainly not published, so a balancing producer may send it elsewhere.
	 */
	volatile boolean maybePublished;

	/**
	 * A publish sent as its own command or, for a PUB, maybe coalesced.
	 * @param session the connection it is sent on
	 * @param result the result it completes with when nsqd answers OK
	 * @param body the PUB's message when this object writes a PUB, else {@code null}
	 */
	PendingPublish(NsqdSession session, PublishResult result, byte[] body) {
		this.session = session;
		this.result = result;
		this.body = body;
	}

	static PendingPublish failed(Throwable failure) {
		PendingPublish pending = new PendingPublish(null, null, null);
		pending.completeExceptionally(failure);
		return pending;
	}

	@Override
	public void run() {
		if (this.enqueued || this.session == null) {
			throw new IllegalStateException("already sent");
		}
		this.maybePublished = true;
		this.sequence = this.session.enqueue(this, messages());
		this.enqueued = true;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		// the line is looked up rather than kept: one field less keeps this object at
		// 48 bytes
		byte[] message = bodyToWrite();
		NsqCommand.writePub(out, this.session.pubLine(this.result.topic()), message);
	}

	/**
	 * The message, read once. Between joining the FIFO and being written (under the
	 * connection's write lock) a publish can be failed by the connection's close on the
	 * reader thread, which drops its message; the connection is gone then, and the write
	 * fails as a write on a closed connection does.
	 * @return the message
	 * @throws IOException when the connection's close already failed this publish
	 */
	byte[] bodyToWrite() throws IOException {
		byte[] message = this.body;
		if (message == null) {
			throw new IOException("the connection closed before the message was written");
		}
		return message;
	}

	/**
	 * Messages its command publishes.
	 * @return the count
	 */
	int messages() {
		return this.result.messageCount();
	}

	/**
	 * Unlink it from its batch and drop its message once answered: a caller keeping the
	 * future keeps neither.
	 * @return the next future of its batch, or {@code null}
	 */
	PendingPublish release() {
		PendingPublish following = this.next;
		this.next = null;
		this.body = null;
		return following;
	}

	/**
	 * nsqd answered OK.
	 * @param executor where to complete the future, {@code null} for this thread
	 */
	void succeed(Executor executor) {
		if (executor == null) {
			complete(this.result);
		}
		else {
			completeOn(executor, this.result, null);
		}
	}

	/**
	 * The publish failed.
	 * @param failure why
	 * @param published whether nsqd may have read it
	 * @param executor where to complete the future, {@code null} for this thread
	 */
	void fail(NsqException failure, boolean published, Executor executor) {
		this.maybePublished = published;
		if (executor == null) {
			completeExceptionally(failure);
		}
		else {
			completeOn(executor, null, failure);
		}
	}

	private void completeOn(Executor executor, PublishResult result, Throwable failure) {
		try {
			executor.execute(() -> {
				if (failure != null) {
					completeExceptionally(failure);
				}
				else {
					complete(result);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// never leave a caller hanging because the executor is shut down
			if (failure != null) {
				completeExceptionally(failure);
			}
			else {
				complete(result);
			}
		}
	}

}
