package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

/**
 * Called around the listener of each message, NSQ's counterpart of spring-kafka's
 * {@code RecordInterceptor}: for logging, MDC, auditing or tracing set-up. Set one on a
 * container factory (every container it creates) or on one container's
 * {@link NsqContainerProperties#setMessageInterceptor}; combine several with
 * {@link CompositeNsqMessageInterceptor}. In Spring Boot, a single bean of this type is
 * set on the auto-configured factory.
 * <p>
 * For each message that passes the {@linkplain NsqMessageFilterStrategy filter}, on the
 * listener's thread:
 * <ol>
 * <li>{@link #intercept} before the listener; it may return another message (a wrapper of
 * the given one) or {@code null} to skip the listener; a skipped message is finished
 * unless the interceptor answered it;</li>
 * <li>the listener runs; then {@link #success} if it returned normally (the message is
 * finished right after, unless the listener answered it itself) or {@link #failure} if it
 * threw (called before the error handler requeues or recovers it);</li>
 * <li>{@link #afterMessage} in every case where the listener ran.</li>
 * </ol>
 * For a batch listener the same methods are called for each message of the batch:
 * {@code intercept} as a message joins the batch (a {@code null} leaves it out and
 * finishes it), and after the listener: {@code success} for the messages it processed,
 * {@code failure} for the one that failed (or all, when the batch failed as a whole), and
 * {@code afterMessage} for every message, including the ones requeued unprocessed after a
 * failed one.
 * <p>
 * An exception from {@code intercept} is a listener failure (the error handler gets it);
 * one from the other methods is logged and ignored.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqMessageInterceptor {

	/**
	 * Called before the listener.
	 * @param message the message
	 * @param container the container
	 * @return the message the listener gets (usually {@code message}), or {@code null} to
	 * skip the listener
	 * @throws Exception handed to the error handler as a listener failure
	 */
	default @Nullable NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) throws Exception {
		return message;
	}

	/**
	 * The listener returned normally.
	 * @param message the message
	 * @param container the container
	 */
	default void success(NsqMessage message, NsqMessageListenerContainer container) {
	}

	/**
	 * The listener threw.
	 * @param message the message
	 * @param exception the failure
	 * @param container the container
	 */
	default void failure(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
	}

	/**
	 * The listener ran (after {@link #success} or {@link #failure}).
	 * @param message the message
	 * @param container the container
	 */
	default void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
	}

}
