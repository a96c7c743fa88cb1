package io.github.nsqspring.boot.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Meters of one listener container, all tagged {@code listener.id}, {@code topic} and
 * {@code channel} (never message ids):
 * <ul>
 * <li>{@value #RECEIVED}, {@value #FINISHED}, {@value #REQUEUED} (function counters):
 * messages received from nsqd, finished (FIN) and requeued (REQ), as nsq-core counts
 * them, summed over the container's restarts;</li>
 * <li>{@value #FAILED} (counter): messages given up on: finished after a listener failure
 * without a retry (handed to the recoverer, e.g. dead-lettered, at the last attempt or
 * for a non-retryable exception), or delivered more than {@code maxAttempts} times;</li>
 * <li>{@value #HANDLER} (timer, extra tag {@code result}: {@code success} or
 * {@code failure}): time spent in the listener, error handling included;</li>
 * <li>{@value #IN_FLIGHT}, {@value #RDY}, {@value #CONNECTIONS} (gauges): messages held
 * and not answered yet, RDY sent to nsqd in total, open nsqd connections; 0 while
 * stopped;</li>
 * <li>{@value #FILTERED} (counter): messages the filter strategy discarded (they are
 * finished without reaching the listener);</li>
 * <li>{@value #RECOVERY_FAILURES} (counter): messages whose recoverer failed (e.g. a
 * dead-letter publish), requeued with backoff instead of finished;</li>
 * <li>{@value #LOOKUPD_FAILURES} (counter): failed nsqlookupd polls;</li>
 * <li>{@value #RECONNECTS} (counter): connections to an nsqd re-established after being
 * lost.</li>
 * </ul>
 * Created for each container by the factory the metrics auto-configuration sets on the
 * container factory ({@link #factory(MeterRegistry)}); the names differ from the
 * observation's ({@code nsq.listener}).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MicrometerNsqListenerMetrics implements NsqListenerMetrics {

	/** Messages received. */
	public static final String RECEIVED = "nsq.consumer.messages.received";

	/** Messages finished. */
	public static final String FINISHED = "nsq.consumer.messages.finished";

	/** Messages requeued. */
	public static final String REQUEUED = "nsq.consumer.messages.requeued";

	/** Messages given up on. */
	public static final String FAILED = "nsq.consumer.messages.failed";

	/** Messages discarded by the filter. */
	public static final String FILTERED = "nsq.consumer.messages.filtered";

	/** Failed recoveries. */
	public static final String RECOVERY_FAILURES = "nsq.consumer.recovery.failures";

	/** Listener duration. */
	public static final String HANDLER = "nsq.consumer.handler";

	/** In-flight gauge. */
	public static final String IN_FLIGHT = "nsq.consumer.in.flight";

	/** RDY gauge. */
	public static final String RDY = "nsq.consumer.rdy";

	/** Connection gauge. */
	public static final String CONNECTIONS = "nsq.consumer.connections";

	/** Failed nsqlookupd polls. */
	public static final String LOOKUPD_FAILURES = "nsq.consumer.lookupd.poll.failures";

	/** Reconnections. */
	public static final String RECONNECTS = "nsq.consumer.reconnects";

	private static final ConsumerStats ZERO = new ConsumerStats(0, 0, 0, 0, 0, 0, 0, 0);

	private final Object lock = new Object();

	private final Timer success;

	private final Timer failure;

	private final Counter failed;

	private final Counter filtered;

	private final Counter recoveryFailures;

	private final Counter lookupdFailures;

	private final Counter reconnects;

	private @Nullable NsqConsumer consumer;

	private ConsumerStats retired = ZERO;

	/**
	 * Register the meters of a container.
	 * @param registry the registry
	 * @param listenerId the container's id
	 * @param topic the topic
	 * @param channel the channel
	 */
	public MicrometerNsqListenerMetrics(MeterRegistry registry, String listenerId, String topic, String channel) {
		Assert.notNull(registry, "'registry' must not be null");
		Tags tags = Tags.of("listener.id", listenerId, "topic", topic, "channel", channel);
		counter(registry, RECEIVED, "Messages received from nsqd", tags, ConsumerStats::received);
		counter(registry, FINISHED, "Messages finished (FIN)", tags, ConsumerStats::finished);
		counter(registry, REQUEUED, "Messages requeued (REQ)", tags, ConsumerStats::requeued);
		gauge(registry, IN_FLIGHT, "Messages received and not answered yet", tags, ConsumerStats::inFlight);
		gauge(registry, RDY, "RDY count sent to nsqd, summed over connections", tags, ConsumerStats::rdy);
		gauge(registry, CONNECTIONS, "Open nsqd connections", tags, ConsumerStats::connections);
		this.failed = Counter.builder(FAILED)
			.description("Messages given up on: recovered after a failure, or over max attempts")
			.baseUnit("messages")
			.tags(tags)
			.register(registry);
		this.success = handlerTimer(registry, tags, "success");
		this.failure = handlerTimer(registry, tags, "failure");
		this.lookupdFailures = Counter.builder(LOOKUPD_FAILURES)
			.description("Failed nsqlookupd polls")
			.tags(tags)
			.register(registry);
		this.filtered = Counter.builder(FILTERED)
			.description("Messages discarded by the filter strategy (finished without reaching the listener)")
			.baseUnit("messages")
			.tags(tags)
			.register(registry);
		this.recoveryFailures = Counter.builder(RECOVERY_FAILURES)
			.description("Messages whose recoverer failed, requeued with backoff instead of finished")
			.baseUnit("messages")
			.tags(tags)
			.register(registry);
		this.reconnects = Counter.builder(RECONNECTS)
			.description("nsqd connections re-established after being lost")
			.tags(tags)
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags,
			ToDoubleFunction<ConsumerStats> value) {
		FunctionCounter.builder(name, this, (metrics) -> value.applyAsDouble(metrics.totals()))
			.description(description)
			.baseUnit("messages")
			.tags(tags)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description, Tags tags,
			ToDoubleFunction<ConsumerStats> value) {
		Gauge.builder(name, this, (metrics) -> value.applyAsDouble(metrics.live()))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private static Timer handlerTimer(MeterRegistry registry, Tags tags, String result) {
		return Timer.builder(HANDLER)
			.description("Time spent in the listener, error handling included")
			.tags(tags)
			.tag("result", result)
			.register(registry);
	}

	/**
	 * The container started a consumer.
	 * @param consumer the consumer
	 */
	@Override
	public void consumerStarted(NsqConsumer consumer) {
		synchronized (this.lock) {
			this.consumer = consumer;
		}
	}

	/**
	 * The container's consumer stopped: its final counts are kept.
	 */
	@Override
	public void consumerStopped() {
		synchronized (this.lock) {
			NsqConsumer current = this.consumer;
			if (current != null) {
				ConsumerStats last = current.stats();
				ConsumerStats sum = this.retired;
				this.retired = new ConsumerStats(sum.received() + last.received(), sum.finished() + last.finished(),
						sum.requeued() + last.requeued(), 0, 0, 0, 0, 0);
				this.consumer = null;
			}
		}
	}

	/**
	 * Record a listener call.
	 * @param durationNanos its duration
	 * @param succeeded whether the listener returned normally
	 */
	@Override
	public void recordHandler(long durationNanos, boolean succeeded) {
		(succeeded ? this.success : this.failure).record(durationNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Count a message given up on.
	 */
	@Override
	public void messageFailed() {
		this.failed.increment();
	}

	/**
	 * Count a message discarded by the filter.
	 */
	@Override
	public void messageFiltered() {
		this.filtered.increment();
	}

	/**
	 * Count a failed recovery.
	 */
	@Override
	public void recoveryFailed() {
		this.recoveryFailures.increment();
	}

	/**
	 * Count a failed nsqlookupd poll.
	 */
	@Override
	public void lookupdPollFailed() {
		this.lookupdFailures.increment();
	}

	/**
	 * Count a restored connection.
	 */
	@Override
	public void reconnected() {
		this.reconnects.increment();
	}

	private ConsumerStats totals() {
		synchronized (this.lock) {
			NsqConsumer current = this.consumer;
			if (current == null) {
				return this.retired;
			}
			ConsumerStats live = current.stats();
			return new ConsumerStats(this.retired.received() + live.received(),
					this.retired.finished() + live.finished(), this.retired.requeued() + live.requeued(), 0, 0, 0, 0,
					0);
		}
	}

	private ConsumerStats live() {
		synchronized (this.lock) {
			NsqConsumer current = this.consumer;
			return (current != null) ? current.stats() : ZERO;
		}
	}

	/**
	 * A factory of these meters for every container, registered in {@code registry}.
	 * @param registry the registry
	 * @return the factory
	 */
	public static NsqListenerMetrics.Factory factory(MeterRegistry registry) {
		Assert.notNull(registry, "'registry' must not be null");
		return (listenerId, topic, channel) -> new MicrometerNsqListenerMetrics(registry, listenerId, topic, channel);
	}

}
