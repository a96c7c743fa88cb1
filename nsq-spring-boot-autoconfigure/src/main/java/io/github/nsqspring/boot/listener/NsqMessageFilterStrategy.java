package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Decides which messages a listener never sees, NSQ's counterpart of spring-kafka's
 * {@code RecordFilterStrategy}. A discarded message is finished (FIN: NSQ has no other
 * way to drop a message, and it must not come back) and counted: the container's
 * {@link DefaultNsqMessageListenerContainer#getFilteredCount() filtered count} and, with
 * metrics, the {@code nsq.consumer.messages.filtered} counter.
 * <p>
 * Set one on a container factory, on one container's
 * {@link NsqContainerProperties#setFilterStrategy}, or name a bean with
 * {@code @NsqListener(filter = "beanName")}; in Spring Boot a single bean of this type is
 * set on the auto-configured factory. The filter runs on the listener's thread before the
 * {@link NsqMessageInterceptor}; for a batch listener, before the message joins a batch.
 * An exception it throws is a listener failure (the error handler gets it).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqMessageFilterStrategy {

	/**
	 * Whether to discard a message.
	 * @param message the message (its body may be an envelope: see
	 * {@link io.github.nsqspring.boot.support.envelope.NsqEnvelope#decode})
	 * @return {@code true} to finish it without calling the listener
	 * @throws Exception handed to the error handler as a listener failure
	 */
	boolean filter(NsqMessage message) throws Exception;

}
