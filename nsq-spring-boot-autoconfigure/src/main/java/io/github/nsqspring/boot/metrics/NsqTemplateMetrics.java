package io.github.nsqspring.boot.metrics;

import org.jspecify.annotations.Nullable;

/**
 * Records {@code NsqTemplate} publishes. Free of Micrometer types, so the template works
 * without Micrometer on the classpath; {@link MicrometerNsqTemplateMetrics} is the
 * implementation the metrics auto-configuration installs when a {@code MeterRegistry}
 * exists.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqTemplateMetrics {

	/**
	 * Record one send call, after nsqd answered or the send failed.
	 * @param topic the topic
	 * @param messageCount messages in the call (the batch size for MPUB)
	 * @param durationNanos time from the call to the outcome
	 * @param failure why it failed, or {@code null} when nsqd acknowledged
	 */
	void record(String topic, int messageCount, long durationNanos, @Nullable Throwable failure);

}
