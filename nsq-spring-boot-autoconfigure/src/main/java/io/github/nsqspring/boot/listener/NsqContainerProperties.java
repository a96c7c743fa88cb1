package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.concurrent.Executor;

import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.NsqListenerObservation;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.github.nsqspring.core.protocol.NsqNames;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The settings of one listener container, kept apart from the container so a factory can
 * prepare them. Mutable until the container starts; read again at each start.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqContainerProperties {

	/** The default shutdown timeout, as nsq-core's consumer: 30s. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final String topic;

	private final String channel;

	private @Nullable NsqMessageListener messageListener;

	private int concurrency = 1;

	private int maxInFlight = 1;

	private int maxAttempts = 5;

	private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

	private NsqErrorHandler errorHandler = new DefaultNsqErrorHandler();

	private @Nullable Executor executor;

	private boolean virtualThreads;

	private StartupFailurePolicy startupFailurePolicy = StartupFailurePolicy.STOP;

	private boolean observationEnabled;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	private NsqListenerMetrics.@Nullable Factory listenerMetrics;

	private @Nullable Duration idleEventInterval;

	/**
	 * Settings for a topic and channel.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when a name is invalid
	 */
	public NsqContainerProperties(String topic, String channel) {
		this.topic = NsqNames.requireValidTopic(topic);
		this.channel = NsqNames.requireValidChannel(channel);
	}

	public String getTopic() {
		return this.topic;
	}

	public String getChannel() {
		return this.channel;
	}

	public @Nullable NsqMessageListener getMessageListener() {
		return this.messageListener;
	}

	/**
	 * The listener the messages go to (required before start).
	 * @param messageListener the listener
	 */
	public void setMessageListener(NsqMessageListener messageListener) {
		this.messageListener = messageListener;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * How many listener calls may run at once (default 1), independent of
	 * {@link #setMaxInFlight(int) max in flight}.
	 * @param concurrency at least 1
	 */
	public void setConcurrency(int concurrency) {
		Assert.isTrue(concurrency > 0, () -> "concurrency must be at least 1, was " + concurrency);
		this.concurrency = concurrency;
	}

	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	/**
	 * Most messages held at once (RDY), spread over nsqd connections (default 1).
	 * @param maxInFlight at least 1
	 */
	public void setMaxInFlight(int maxInFlight) {
		Assert.isTrue(maxInFlight > 0, () -> "maxInFlight must be at least 1, was " + maxInFlight);
		this.maxInFlight = maxInFlight;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Deliveries of a message before it goes to the recoverer (default 5; 0 for no
	 * limit).
	 * @param maxAttempts 0 to 65535
	 */
	public void setMaxAttempts(int maxAttempts) {
		Assert.isTrue(maxAttempts >= 0 && maxAttempts <= 65535,
				() -> "maxAttempts must be 0 to 65535, was " + maxAttempts);
		this.maxAttempts = maxAttempts;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Longest a stop waits for in-flight listener calls (default 30s); messages still
	 * unanswered then are requeued.
	 * @param shutdownTimeout the timeout
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		Assert.notNull(shutdownTimeout, "'shutdownTimeout' must not be null");
		this.shutdownTimeout = shutdownTimeout;
	}

	public NsqErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * What happens to messages whose listener failed (default:
	 * {@link DefaultNsqErrorHandler} with a logging recoverer).
	 * @param errorHandler the error handler
	 */
	public void setErrorHandler(NsqErrorHandler errorHandler) {
		Assert.notNull(errorHandler, "'errorHandler' must not be null");
		this.errorHandler = errorHandler;
	}

	public @Nullable Executor getExecutor() {
		return this.executor;
	}

	/**
	 * The executor running listener calls. By default the consumer runs them on
	 * {@code concurrency} daemon threads of its own (or virtual threads, see
	 * {@link #setVirtualThreads(boolean)}). A given executor is not shut down by the
	 * container; it runs {@code concurrency} long-lived handler loops per running
	 * container, so it must be able to run that many tasks at once.
	 * @param executor the executor, or {@code null} for the default
	 */
	public void setExecutor(@Nullable Executor executor) {
		this.executor = executor;
	}

	public boolean isVirtualThreads() {
		return this.virtualThreads;
	}

	/**
	 * Whether listener calls run on virtual threads (Java 21+) when no executor is set.
	 * @param virtualThreads {@code true} for virtual threads
	 */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	public StartupFailurePolicy getStartupFailurePolicy() {
		return this.startupFailurePolicy;
	}

	/**
	 * What to do when the container cannot start (default
	 * {@link StartupFailurePolicy#STOP}).
	 * @param startupFailurePolicy the policy
	 */
	public void setStartupFailurePolicy(StartupFailurePolicy startupFailurePolicy) {
		Assert.notNull(startupFailurePolicy, "'startupFailurePolicy' must not be null");
		this.startupFailurePolicy = startupFailurePolicy;
	}

	public boolean isObservationEnabled() {
		return this.observationEnabled;
	}

	/**
	 * Whether each delivery is observed ({@link NsqListenerObservation}) through the
	 * {@linkplain #setObservationRegistry observation registry} (default false). The
	 * listener then runs in the observation's scope, continuing the sender's trace when
	 * the message carries an envelope with trace context.
	 * @param observationEnabled {@code true} to observe deliveries
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	public ObservationRegistry getObservationRegistry() {
		return this.observationRegistry;
	}

	/**
	 * The registry of delivery observations (default {@link ObservationRegistry#NOOP}).
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	public @Nullable NsqListenerObservationConvention getObservationConvention() {
		return this.observationConvention;
	}

	/**
	 * A convention replacing {@link DefaultNsqListenerObservationConvention}.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	public NsqListenerMetrics.@Nullable Factory getListenerMetrics() {
		return this.listenerMetrics;
	}

	/**
	 * Creates the container's {@link NsqListenerMetrics} at its first start (default
	 * none: no metrics). With Micrometer, the metrics auto-configuration sets
	 * {@link io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics#factory}.
	 * @param listenerMetrics the factory, or {@code null} for no metrics
	 */
	public void setListenerMetrics(NsqListenerMetrics.@Nullable Factory listenerMetrics) {
		this.listenerMetrics = listenerMetrics;
	}

	public @Nullable Duration getIdleEventInterval() {
		return this.idleEventInterval;
	}

	/**
	 * Publish a {@link io.github.nsqspring.boot.event.ConsumerIdleEvent} when no message
	 * arrived for this long (default {@code null}: no idle events).
	 * @param idleEventInterval a positive interval, or {@code null}
	 */
	public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
		Assert.isTrue(idleEventInterval == null || (!idleEventInterval.isNegative() && !idleEventInterval.isZero()),
				() -> "idleEventInterval must be positive, was " + idleEventInterval);
		this.idleEventInterval = idleEventInterval;
	}

	@Override
	public String toString() {
		return "NsqContainerProperties[topic=" + this.topic + ", channel=" + this.channel + ", concurrency="
				+ this.concurrency + ", maxInFlight=" + this.maxInFlight + ", maxAttempts=" + this.maxAttempts
				+ ", shutdownTimeout=" + this.shutdownTimeout + "]";
	}

}
