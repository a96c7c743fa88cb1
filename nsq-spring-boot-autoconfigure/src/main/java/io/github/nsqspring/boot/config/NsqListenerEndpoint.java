package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.Map;

import io.github.nsqspring.boot.listener.NsqBatchMessageListener;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import org.jspecify.annotations.Nullable;

/**
 * What a listener container is made from: the subscription, per-listener overrides of the
 * factory's settings ({@code null} keeps the factory's), and the listener itself.
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see MethodNsqListenerEndpoint
 * @see SimpleNsqListenerEndpoint
 */
public interface NsqListenerEndpoint {

	/**
	 * The id of the container.
	 * @return the id
	 */
	String getId();

	/**
	 * The topic.
	 * @return the topic name
	 */
	String getTopic();

	/**
	 * The channel; {@code null} to use the factory's default channel.
	 * @return the channel name, or {@code null}
	 */
	@Nullable String getChannel();

	/**
	 * Listener calls that may run at once.
	 * @return the concurrency, or {@code null} for the factory's
	 */
	@Nullable Integer getConcurrency();

	/**
	 * Messages held at once.
	 * @return max in flight, or {@code null} for the factory's
	 */
	@Nullable Integer getMaxInFlight();

	/**
	 * Deliveries before recovery.
	 * @return max attempts, or {@code null} for the factory's
	 */
	@Nullable Integer getMaxAttempts();

	/**
	 * Whether the container starts with the context.
	 * @return auto startup, or {@code null} for the factory's
	 */
	@Nullable Boolean getAutoStartup();

	/**
	 * Consumer options of this listener by go-nsq name ({@code msg_timeout},
	 * {@code max_attempts}, ...), applied over every other source.
	 * @return the options, empty by default
	 * @see NsqContainerProperties#setConsumerProperties
	 */
	default Map<String, String> getConsumerProperties() {
		return Map.of();
	}

	/**
	 * Whether the listener takes batches.
	 * @return {@code true} for batches, or {@code null} for the factory's setting
	 */
	default @Nullable Boolean getBatchListener() {
		return null;
	}

	/**
	 * The most messages per batch.
	 * @return the size, or {@code null} for the factory's (default: max in flight)
	 */
	default @Nullable Integer getBatchSize() {
		return null;
	}

	/**
	 * Longest wait for a batch to fill.
	 * @return the timeout, or {@code null} for the factory's
	 */
	default @Nullable Duration getBatchTimeout() {
		return null;
	}

	/**
	 * The filter of this listener.
	 * @return the filter, or {@code null} for the factory's
	 */
	default @Nullable NsqMessageFilterStrategy getFilterStrategy() {
		return null;
	}

	/**
	 * Create the listener of a container that takes messages one at a time.
	 * @param containerProperties the container's final settings (topic, channel...)
	 * @return the listener
	 */
	NsqMessageListener createMessageListener(NsqContainerProperties containerProperties);

	/**
	 * Create the listener of a container that takes batches. The default refuses:
	 * endpoints that support batches override it.
	 * @param containerProperties the container's final settings (topic, channel...)
	 * @return the listener
	 * @throws IllegalStateException when this endpoint cannot take batches
	 */
	default NsqBatchMessageListener createBatchMessageListener(NsqContainerProperties containerProperties) {
		throw new IllegalStateException(
				"Listener '" + getId() + "' (" + getClass().getSimpleName() + ") cannot take batches");
	}

}
