package io.github.nsqspring.core.consumer;

import java.time.Duration;

/**
 * A message delivered by nsqd to a consumer. The first response wins: once
 * {@link #finish()} or a requeue was sent, later responses are ignored. Unless
 * {@link #disableAutoResponse()} was called, the consumer finishes the message when the
 * handler returns and requeues it (with backoff) when the handler throws.
 */
public interface NsqMessage {

	/**
	 * The message id as nsqd sent it.
	 * @return a copy of the 16 ASCII bytes
	 */
	byte[] id();

	/**
	 * The message id as text.
	 * @return 16 hex characters
	 */
	String idText();

	/**
	 * The delivery attempt, 1 on first delivery.
	 * @return the attempt
	 */
	int attempts();

	/**
	 * When nsqd received the message.
	 * @return nanoseconds since the epoch
	 */
	long timestamp();

	/**
	 * The body.
	 * @return the body bytes (not copied; do not modify)
	 */
	byte[] body();

	/**
	 * The nsqd that delivered the message.
	 * @return its {@code host:port}
	 */
	String nsqdAddress();

	/**
	 * Send FIN: the message is done. No effect if already responded.
	 */
	void finish();

	/**
	 * Send REQ with the automatic delay ({@code default_requeue_delay × attempts}, capped
	 * by {@code max_requeue_delay}) and signal backoff.
	 */
	void requeue();

	/**
	 * Send REQ with this delay and signal backoff.
	 * @param delay the delay, whole milliseconds, not negative
	 */
	void requeue(Duration delay);

	/**
	 * Send REQ with this delay without changing the consumer's backoff.
	 * @param delay the delay, whole milliseconds, not negative
	 */
	void requeueWithoutBackoff(Duration delay);

	/**
	 * Send TOUCH: reset the in-flight timeout (nsqd caps the total at its
	 * max-msg-timeout). No effect if already responded.
	 */
	void touch();

	/**
	 * Take responsibility for answering: the consumer will neither finish nor requeue
	 * this message after the handler.
	 */
	void disableAutoResponse();

	/**
	 * Whether {@link #disableAutoResponse()} was called.
	 * @return {@code true} when the handler answers itself
	 */
	boolean isAutoResponseDisabled();

	/**
	 * Whether FIN or REQ was already sent.
	 * @return {@code true} once responded
	 */
	boolean hasResponded();

}
