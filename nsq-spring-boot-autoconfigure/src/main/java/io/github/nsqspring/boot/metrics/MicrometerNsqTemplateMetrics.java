package io.github.nsqspring.boot.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Meters of {@code NsqTemplate} publishes, tagged with the {@code topic} and the
 * {@code result} ({@code success} or {@code failure}) — no message ids, so cardinality is
 * bounded by the number of topics:
 * <ul>
 * <li>{@value #PUBLISH} (timer): time from the send call to nsqd's acknowledgment (or the
 * failure), one sample per send call (an MPUB batch is one sample);</li>
 * <li>{@value #PUBLISH_MESSAGES} (counter): messages published or failed (an MPUB batch
 * counts each of its messages).</li>
 * </ul>
 * A send rejected before anything is sent (invalid topic, unconvertible payload) is not
 * recorded. These names differ from the observation's ({@code nsq.template}), so both can
 * be on at once without clashing.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MicrometerNsqTemplateMetrics implements NsqTemplateMetrics {

	/** Name of the publish latency timer. */
	public static final String PUBLISH = "nsq.publish";

	/** Name of the published/failed message counter. */
	public static final String PUBLISH_MESSAGES = "nsq.publish.messages";

	private final MeterRegistry registry;

	/**
	 * Create the meters in a registry (lazily, per topic and result).
	 * @param registry the registry
	 */
	public MicrometerNsqTemplateMetrics(MeterRegistry registry) {
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
	}

	/**
	 * Record a send.
	 * @param topic the topic
	 * @param messageCount the messages in the send
	 * @param durationNanos the time to nsqd's answer
	 * @param failure the failure, or {@code null} when nsqd acknowledged
	 */
	@Override
	public void record(String topic, int messageCount, long durationNanos, @Nullable Throwable failure) {
		String result = (failure != null) ? "failure" : "success";
		Timer.builder(PUBLISH)
			.description("Time from an NsqTemplate send to nsqd's acknowledgment")
			.tag("topic", topic)
			.tag("result", result)
			.register(this.registry)
			.record(durationNanos, TimeUnit.NANOSECONDS);
		Counter.builder(PUBLISH_MESSAGES)
			.description("Messages published through NsqTemplate, by result")
			.baseUnit("messages")
			.tag("topic", topic)
			.tag("result", result)
			.register(this.registry)
			.increment(messageCount);
	}

}
