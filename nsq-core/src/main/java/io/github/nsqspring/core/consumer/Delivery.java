package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.nsqspring.core.protocol.Frame;

/**
 * A message delivered on one connection; all its responses go to that connection, the
 * only one nsqd accepts them from.
 */
final class Delivery implements NsqMessage {

	private static final AtomicIntegerFieldUpdater<Delivery> RESPONDED = AtomicIntegerFieldUpdater
		.newUpdater(Delivery.class, "responded");

	private static final int UNANSWERED = 0;

	private static final int ANSWERED = 1;

	/**
	 * Unanswered, and its handler returned with auto-response disabled: the worker pool
	 * keeps it among the messages the application still has to answer.
	 */
	private static final int AWAITING_ANSWER = 2;

	final WorkerPool workers;

	final ConsumerConnection connection;

	final Frame.Message frame;

	private volatile int responded;

	private volatile boolean autoResponseDisabled;

	Delivery(WorkerPool workers, ConsumerConnection connection, Frame.Message frame) {
		this.workers = workers;
		this.connection = connection;
		this.frame = frame;
	}

	/**
	 * Claim the single response of this message.
	 * @return {@code true} for the first caller only
	 */
	boolean markResponded() {
		int state = this.responded;
		while (state != ANSWERED) {
			if (RESPONDED.compareAndSet(this, state, ANSWERED)) {
				if (state == AWAITING_ANSWER) {
					this.workers.answered(this);
				}
				return true;
			}
			state = this.responded;
		}
		return false;
	}

	/**
	 * Its handler returned without answering it (auto-response disabled): keep it among
	 * the messages the application still has to answer, unless it was answered meanwhile.
	 * The pool's set is updated before the state, and the responder removes it after
	 * claiming the answer, so that an answer racing with this leaves nothing behind.
	 */
	void awaitAnswer() {
		this.workers.awaiting(this);
		if (!RESPONDED.compareAndSet(this, UNANSWERED, AWAITING_ANSWER)) {
			this.workers.answered(this);
		}
	}

	@Override
	public byte[] id() {
		return this.frame.id().clone();
	}

	@Override
	public String idText() {
		return this.frame.idText();
	}

	@Override
	public int attempts() {
		return this.frame.attempts();
	}

	@Override
	public long timestamp() {
		return this.frame.timestamp();
	}

	@Override
	public byte[] body() {
		return this.frame.body();
	}

	@Override
	public String nsqdAddress() {
		return this.connection.addressText;
	}

	@Override
	public void finish() {
		this.workers.finish(this, null);
	}

	@Override
	public void requeue() {
		this.workers.requeue(this, this.workers.automaticRequeueDelayMillis(attempts()), true, null);
	}

	@Override
	public void requeue(Duration delay) {
		this.workers.requeue(this, delayMillis(delay), true, null);
	}

	@Override
	public void requeueWithoutBackoff(Duration delay) {
		this.workers.requeue(this, delayMillis(delay), false, null);
	}

	@Override
	public void touch() {
		if (this.responded != ANSWERED) {
			this.workers.touch(this);
		}
	}

	@Override
	public void disableAutoResponse() {
		this.autoResponseDisabled = true;
	}

	@Override
	public boolean isAutoResponseDisabled() {
		return this.autoResponseDisabled;
	}

	@Override
	public boolean hasResponded() {
		return this.responded == ANSWERED;
	}

	private static long delayMillis(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("requeue delay must not be negative, was " + delay);
		}
		return delay.toMillis();
	}

	@Override
	public String toString() {
		return "NsqMessage[id=" + idText() + ", attempts=" + attempts() + ", nsqd=" + nsqdAddress() + "]";
	}

}
