package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Decides what happens to a message whose listener failed: requeue it (nsqd redelivers it
 * later, counting attempts) or give up on it. Called on the listener's thread, only when
 * the message has not been answered yet. It must answer the message (finish or requeue)
 * or leave it to nsqd's message timeout; it should not throw.
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see DefaultNsqErrorHandler
 */
public interface NsqErrorHandler {

	/**
	 * Handle a listener failure.
	 * @param message the message, not answered yet
	 * @param exception the failure
	 * @param container the container the listener runs in
	 */
	void handleError(NsqMessage message, Exception exception, NsqMessageListenerContainer container);

	/**
	 * Handle a message that nsqd delivered more than {@code maxAttempts} times (its last
	 * attempt failed with a requeue, or it timed out in flight). The consumer finishes it
	 * afterwards without calling the listener, unless this method answered it: requeue it
	 * here to keep it (a failed dead-letter publish, for example). When this method
	 * throws, the container requeues the message with backoff and counts a recovery
	 * failure. The default does nothing (the consumer logs it).
	 * @param message the message
	 * @param container the container
	 */
	default void handleExhausted(NsqMessage message, NsqMessageListenerContainer container) {
	}

}
