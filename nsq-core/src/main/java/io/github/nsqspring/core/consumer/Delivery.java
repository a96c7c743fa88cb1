package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.github.nsqspring.core.protocol.MessageId;

/**
 * A message delivered on one connection; all its responses go to that connection, the
 * only one nsqd accepts them from.
 * <p>
 * It holds the frame's parts itself, the id as two {@code long}s ({@link MessageId}), so
 * that a message costs its body and this one object (issue 15: a consumer allocates at
 * most the body and 128 bytes per message).
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

	final ConsumerConnection connection;

	private final long timestamp;

	private final int attempts;

	final long idHigh;

	final long idLow;

	private final byte[] body;

	private volatile int responded;

	private volatile boolean autoResponseDisabled;

	/**
	 * A message read from a connection.
	 * @param connection the connection, whose worker pool answers the message
	 * @param timestamp nanoseconds since the epoch when nsqd received the message
	 * @param attempts delivery attempt
	 * @param idHigh bytes 0–7 of the id
	 * @param idLow bytes 8–15 of the id
	 * @param body the body
	 */
	Delivery(ConsumerConnection connection, long timestamp, int attempts, long idHigh, long idLow, byte[] body) {
		this.connection = connection;
		this.timestamp = timestamp;
		this.attempts = attempts;
		this.idHigh = idHigh;
		this.idLow = idLow;
		this.body = body;
	}

	/**
	 * A marker that is no message (e.g. the workers' stop signal).
	 */
	static Delivery marker() {
		return new Delivery(null, 0, 0, 0, 0, null);
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
					this.connection.workers.answered(this);
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
		WorkerPool workers = this.connection.workers;
		workers.awaiting(this);
		if (!RESPONDED.compareAndSet(this, UNANSWERED, AWAITING_ANSWER)) {
			workers.answered(this);
		}
	}

	@Override
	public byte[] id() {
		return MessageId.toBytes(this.idHigh, this.idLow);
	}

	@Override
	public String idText() {
		return MessageId.toText(this.idHigh, this.idLow);
	}

	@Override
	public int attempts() {
		return this.attempts;
	}

	@Override
	public long timestamp() {
		return this.timestamp;
	}

	@Override
	public byte[] body() {
		return this.body;
	}

	@Override
	public String nsqdAddress() {
		return this.connection.addressText;
	}

	@Override
	public void finish() {
		this.connection.workers.finish(this, null);
	}

	@Override
	public void requeue() {
		this.connection.workers.requeue(this, this.connection.workers.automaticRequeueDelayMillis(attempts()), true,
				null);
	}

	@Override
	public void requeue(Duration delay) {
		this.connection.workers.requeue(this, delayMillis(delay), true, null);
	}

	@Override
	public void requeueWithoutBackoff(Duration delay) {
		this.connection.workers.requeue(this, delayMillis(delay), false, null);
	}

	@Override
	public void touch() {
		if (this.responded != ANSWERED) {
			this.connection.workers.touch(this);
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
