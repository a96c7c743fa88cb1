package io.github.nsqspring.boot.listener;

import java.time.Duration;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * An {@link NsqMessage} that forwards every call to another; the container's wrappers
 * override what they track.
 *
 * @author nsq-spring
 */
abstract class DelegatingNsqMessage implements NsqMessage {

	private final NsqMessage delegate;

	DelegatingNsqMessage(NsqMessage delegate) {
		this.delegate = delegate;
	}

	final NsqMessage delegate() {
		return this.delegate;
	}

	@Override
	public byte[] id() {
		return this.delegate.id();
	}

	@Override
	public String idText() {
		return this.delegate.idText();
	}

	@Override
	public int attempts() {
		return this.delegate.attempts();
	}

	@Override
	public long timestamp() {
		return this.delegate.timestamp();
	}

	@Override
	public byte[] body() {
		return this.delegate.body();
	}

	@Override
	public String nsqdAddress() {
		return this.delegate.nsqdAddress();
	}

	@Override
	public void finish() {
		this.delegate.finish();
	}

	@Override
	public void requeue() {
		this.delegate.requeue();
	}

	@Override
	public void requeue(Duration delay) {
		this.delegate.requeue(delay);
	}

	@Override
	public void requeueWithoutBackoff(Duration delay) {
		this.delegate.requeueWithoutBackoff(delay);
	}

	@Override
	public void touch() {
		this.delegate.touch();
	}

	@Override
	public void disableAutoResponse() {
		this.delegate.disableAutoResponse();
	}

	@Override
	public boolean isAutoResponseDisabled() {
		return this.delegate.isAutoResponseDisabled();
	}

	@Override
	public boolean hasResponded() {
		return this.delegate.hasResponded();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
