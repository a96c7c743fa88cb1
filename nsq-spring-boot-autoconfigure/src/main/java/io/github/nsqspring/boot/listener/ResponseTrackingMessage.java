package io.github.nsqspring.boot.listener;

import java.time.Duration;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Remembers how the error handler answered a failed message: finished (given up on) or
 * requeued.
 *
 * @author nsq-spring
 */
final class ResponseTrackingMessage extends DelegatingNsqMessage {

	volatile boolean finished;

	volatile boolean requeued;

	ResponseTrackingMessage(NsqMessage delegate) {
		super(delegate);
	}

	@Override
	public void finish() {
		if (!hasResponded()) {
			this.finished = true;
		}
		super.finish();
	}

	@Override
	public void requeue() {
		markRequeued();
		super.requeue();
	}

	@Override
	public void requeue(Duration delay) {
		markRequeued();
		super.requeue(delay);
	}

	@Override
	public void requeueWithoutBackoff(Duration delay) {
		markRequeued();
		super.requeueWithoutBackoff(delay);
	}

	private void markRequeued() {
		if (!hasResponded()) {
			this.requeued = true;
		}
	}

}
