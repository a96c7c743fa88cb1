package io.github.nsqspring.core.producer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * A future owed by nsqd: the one object a PUB allocates (56 bytes). It is its own
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
	 * The PUB's message until it was written; then {@code null}, so a caller keeping the
	 * future does not keep the message. Only the thread sending it drops it (after the
	 * write, or when it gives up before writing): a close on the reader thread can fail
	 * the future between its joining the FIFO and its write, and the write must still
	 * find the message.
	 */
	byte[] body;

	/**
	 * The next PUB of the same coalesced batch; written under the session's send lock,
	 * unlinked when the batch was answered. Before that, while the PUB waits to be taken
	 * by the lock's holder, the older PUB handed over before it
	 * ({@link NsqdSession#sendPub}).
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
	 * The caller parked in {@link #awaitDone()}, if any; woken when the future completes.
	 */
	private volatile Thread waiter;

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

	/**
	 * Park the calling thread until this future is done or the thread is interrupted.
	 * Unlike {@link #get()}, which allocates a waiting node per call, it allocates
	 * nothing: the thread waits in {@link #waiter} and whatever completes the future
	 * wakes it.
	 */
	void awaitDone() {
		if (isDone()) {
			return;
		}
		Thread current = Thread.currentThread();
		this.waiter = current;
		// the completer writes the result before reading waiter, and this thread wrote
		// waiter before reading the result: one of them sees the other
		while (!isDone() && !current.isInterrupted()) {
			LockSupport.park(this);
		}
		this.waiter = null;
	}

	@Override
	public boolean complete(PublishResult value) {
		boolean completed = super.complete(value);
		wakeWaiter();
		return completed;
	}

	@Override
	public boolean completeExceptionally(Throwable failure) {
		boolean completed = super.completeExceptionally(failure);
		wakeWaiter();
		return completed;
	}

	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean cancelled = super.cancel(mayInterruptIfRunning);
		wakeWaiter();
		return cancelled;
	}

	private void wakeWaiter() {
		Thread parked = this.waiter;
		if (parked != null) {
			LockSupport.unpark(parked);
		}
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
		// 56 bytes
		NsqCommand.writePub(out, this.session.pubLine(this.result.topic()), this.body);
		this.body = null;
	}

	/**
	 * Write the messages of a coalesced batch, dropping each once written.
	 * @param out where to
	 * @param first the batch's first future
	 * @throws IOException when the write fails
	 */
	static void writeMessages(OutputStream out, PendingPublish first) throws IOException {
		for (PendingPublish member = first; member != null; member = member.next) {
			NsqCommand.writeMessage(out, member.body);
			member.body = null;
		}
	}

	/**
	 * Drop the messages of a batch that will not be written (its send gave up).
	 * @param first the batch's first future
	 */
	static void dropMessages(PendingPublish first) {
		for (PendingPublish member = first; member != null; member = member.next) {
			member.body = null;
		}
	}

	/**
	 * The topic it publishes to.
	 * @return the topic
	 */
	String topic() {
		return this.result.topic();
	}

	/**
	 * Messages its command publishes.
	 * @return the count
	 */
	int messages() {
		return this.result.messageCount();
	}

	/**
	 * Complete the futures of a FIFO entry (a single publish or a coalesced batch).
	 * Answered batches are unlinked, so a caller keeping one future keeps neither the
	 * others nor the batch. A failed batch stays linked: the close that fails it runs on
	 * the reader thread and may come before a writer walked the batch to write it; its
	 * futures are garbage once their callers drop them.
	 * @param first the entry's first future
	 * @param failure why it failed, or {@code null} when nsqd answered OK
	 * @param published whether nsqd may have read it (when failed)
	 * @param executor where to complete the futures, {@code null} for this thread
	 */
	static void completeAll(PendingPublish first, NsqException failure, boolean published, Executor executor) {
		PendingPublish member = first;
		while (member != null) {
			PendingPublish following = member.next;
			if (failure == null) {
				member.next = null;
				member.succeed(executor);
			}
			else {
				member.fail(failure, published, executor);
			}
			member = following;
		}
	}

	/**
	 * nsqd answered OK.
	 * @param executor where to complete the future, {@code null} for this thread
	 */
	private void succeed(Executor executor) {
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
	private void fail(NsqException failure, boolean published, Executor executor) {
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
