package io.github.nsqspring.core.producer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.github.nsqspring.core.NsqException;

/**
 * A future owed by nsqd. It is its own {@code beforeWrite} action: run under the
 * connection's write lock, it joins the FIFO, so the FIFO order is the wire order and no
 * other object is allocated per publish.
 */
final class PendingPublish extends CompletableFuture<PublishResult> implements Runnable, PendingCommand {

	private final NsqdSession session;

	private final String topic;

	private final int messageCount;

	/** Set under the write lock when the command joined the FIFO. */
	boolean enqueued;

	/** Its position in the FIFO, set with enqueued. */
	long sequence;

	/**
	 * Whether nsqd may have read the command. {@code false} means the message was
	 * certainly not published, so a balancing producer may send it elsewhere.
	 */
	volatile boolean maybePublished;

	PendingPublish(NsqdSession session, String topic, int messageCount) {
		this.session = session;
		this.topic = topic;
		this.messageCount = messageCount;
	}

	static PendingPublish failed(Throwable failure) {
		PendingPublish pending = new PendingPublish(null, null, 0);
		pending.completeExceptionally(failure);
		return pending;
	}

	@Override
	public void run() {
		if (this.enqueued || this.session == null) {
			throw new IllegalStateException("already sent");
		}
		this.maybePublished = true;
		this.sequence = this.session.enqueue(this);
		this.enqueued = true;
	}

	@Override
	public int messages() {
		return this.messageCount;
	}

	@Override
	public int permits() {
		return 1;
	}

	@Override
	public void succeed(String address, Executor executor) {
		PublishResult result = new PublishResult(address, this.topic, this.messageCount);
		if (executor == null) {
			complete(result);
		}
		else {
			completeOn(executor, result, null);
		}
	}

	@Override
	public void fail(NsqException failure, boolean published, Executor executor) {
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
