package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * A message of a batch listener. The consumer's automatic answer of the underlying
 * message is disabled when it joins a batch (its handler returns at once); this wrapper
 * keeps the listener's own {@link #disableAutoResponse()}, so the container knows which
 * messages to finish after the batch. Answers go straight to the underlying message, on
 * the connection it came from.
 *
 * @author nsq-spring
 */
final class BatchedMessage extends DelegatingNsqMessage {

	private final long receivedNanos;

	private volatile boolean autoResponseDisabled;

	BatchedMessage(NsqMessage delegate, long receivedNanos) {
		super(delegate);
		this.receivedNanos = receivedNanos;
	}

	long receivedNanos() {
		return this.receivedNanos;
	}

	@Override
	public void disableAutoResponse() {
		this.autoResponseDisabled = true;
	}

	@Override
	public boolean isAutoResponseDisabled() {
		return this.autoResponseDisabled;
	}

}
