package io.github.nsqspring.boot.metrics;

import io.github.nsqspring.core.consumer.NsqConsumer;

/**
 * Records what one listener container does. Free of Micrometer types, so containers work
 * without Micrometer on the classpath; {@link MicrometerNsqListenerMetrics} is the
 * implementation the metrics auto-configuration installs when a {@code MeterRegistry}
 * exists. Methods are called from listener threads and must be thread-safe.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqListenerMetrics {

	/**
	 * The container started a consumer (on start and on each restart).
	 * @param consumer the consumer, whose counters and gauges may be read
	 */
	void consumerStarted(NsqConsumer consumer);

	/**
	 * The container's consumer stopped.
	 */
	void consumerStopped();

	/**
	 * The listener handled one message.
	 * @param durationNanos time in the listener, error handling included
	 * @param succeeded whether the listener returned normally
	 */
	void recordHandler(long durationNanos, boolean succeeded);

	/**
	 * A message was given up on (recovered or dead-lettered, or over max attempts).
	 */
	void messageFailed();

	/**
	 * The filter strategy discarded (and finished) a message. Default: not recorded.
	 */
	default void messageFiltered() {
	}

	/**
	 * The recoverer of a message failed, so the message was requeued with backoff instead
	 * of finished. Default: not recorded.
	 */
	default void recoveryFailed() {
	}

	/**
	 * An nsqlookupd poll failed.
	 */
	void lookupdPollFailed();

	/**
	 * A lost nsqd connection was re-established.
	 */
	void reconnected();

	/**
	 * Creates the metrics of each container.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Create the metrics of one container.
		 * @param listenerId the container's id
		 * @param topic its topic
		 * @param channel its channel
		 * @return the metrics
		 */
		NsqListenerMetrics create(String listenerId, String topic, String channel);

	}

}
