package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
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
 * <p>
 * A container factory keeps one instance without a subscription as the template of the
 * containers it creates ({@link #NsqContainerProperties()}) and copies it into each one
 * ({@link #NsqContainerProperties(String, String, NsqContainerProperties)}); the
 * listener's own settings ({@code @NsqListener} attributes) are applied on the copy.
 * <h2>Consumer configuration</h2> The consumer of a container is configured, in
 * increasing precedence, from:
 * <ol>
 * <li>the consumer factory's configuration ({@code nsq.consumer.*},
 * {@code nsq.client.*});</li>
 * <li>{@link #setMaxInFlight(int) max in flight} and {@link #setMaxAttempts(int) max
 * attempts} of these settings (the container factory's);</li>
 * <li>the {@linkplain #addConsumerCustomizer listener-aware customizers};</li>
 * <li>the {@linkplain #setConsumerProperties consumer properties} (go-nsq option names:
 * {@code @NsqListener(properties = ...)}, and its {@code maxInFlight} /
 * {@code maxAttempts} attributes).</li>
 * </ol>
 * When the container starts, {@link #getMaxInFlight()} and {@link #getMaxAttempts()} are
 * set to the values the consumer ended up with, which is what the error handler and
 * {@code resume()} use.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqContainerProperties {

	/** The default shutdown timeout, as nsq-core's consumer: 30s. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	/** The default longest wait for a batch to fill: 500ms. */
	public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofMillis(500);

	private final String topic;

	private final String channel;

	private @Nullable NsqMessageListener messageListener;

	private @Nullable NsqBatchMessageListener batchMessageListener;

	private boolean batchListener;

	private @Nullable Integer batchSize;

	private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;

	private int concurrency = 1;

	private int maxInFlight = 1;

	private int maxAttempts = 5;

	private final Map<String, String> consumerProperties = new LinkedHashMap<>();

	private final List<NsqListenerConsumerCustomizer> consumerCustomizers = new ArrayList<>();

	private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

	private NsqErrorHandler errorHandler = new DefaultNsqErrorHandler();

	private @Nullable NsqMessageInterceptor messageInterceptor;

	private @Nullable NsqMessageFilterStrategy filterStrategy;

	private @Nullable Executor executor;

	private boolean virtualThreads;

	private StartupFailurePolicy startupFailurePolicy = StartupFailurePolicy.STOP;

	private boolean observationEnabled;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	private NsqListenerMetrics.@Nullable Factory listenerMetrics;

	private @Nullable Duration idleEventInterval;

	/**
	 * Settings without a subscription: the template a container factory copies into each
	 * container. {@link #getTopic()} and {@link #getChannel()} are empty; a container
	 * cannot be made from it directly.
	 */
	public NsqContainerProperties() {
		this.topic = "";
		this.channel = "";
	}

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

	/**
	 * Settings for a topic and channel, copied from a template: every setting except the
	 * listener. Collections (consumer properties, customizers) are copied, so changing
	 * the copy leaves the template alone.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @param template the settings to copy
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when a name is invalid
	 */
	public NsqContainerProperties(String topic, String channel, NsqContainerProperties template) {
		this(topic, channel);
		Assert.notNull(template, "'template' must not be null");
		this.batchListener = template.batchListener;
		this.batchSize = template.batchSize;
		this.batchTimeout = template.batchTimeout;
		this.concurrency = template.concurrency;
		this.maxInFlight = template.maxInFlight;
		this.maxAttempts = template.maxAttempts;
		this.consumerProperties.putAll(template.consumerProperties);
		this.consumerCustomizers.addAll(template.consumerCustomizers);
		this.shutdownTimeout = template.shutdownTimeout;
		this.errorHandler = template.errorHandler;
		this.messageInterceptor = template.messageInterceptor;
		this.filterStrategy = template.filterStrategy;
		this.executor = template.executor;
		this.virtualThreads = template.virtualThreads;
		this.startupFailurePolicy = template.startupFailurePolicy;
		this.observationEnabled = template.observationEnabled;
		this.observationRegistry = template.observationRegistry;
		this.observationConvention = template.observationConvention;
		this.listenerMetrics = template.listenerMetrics;
		this.idleEventInterval = template.idleEventInterval;
	}

	/**
	 * The topic.
	 * @return the topic, empty on a factory's template
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The channel.
	 * @return the channel, empty on a factory's template
	 */
	public String getChannel() {
		return this.channel;
	}

	public @Nullable NsqMessageListener getMessageListener() {
		return this.messageListener;
	}

	/**
	 * The listener each message goes to (this or a batch listener is required before
	 * start). Makes this a record (not batch) container.
	 * @param messageListener the listener
	 */
	public void setMessageListener(NsqMessageListener messageListener) {
		Assert.notNull(messageListener, "'messageListener' must not be null");
		this.messageListener = messageListener;
		this.batchMessageListener = null;
		this.batchListener = false;
	}

	public @Nullable NsqBatchMessageListener getBatchMessageListener() {
		return this.batchMessageListener;
	}

	/**
	 * The listener batches of messages go to. Makes this a batch container.
	 * @param batchMessageListener the listener
	 * @see #setBatchSize(Integer)
	 * @see #setBatchTimeout(Duration)
	 */
	public void setBatchMessageListener(NsqBatchMessageListener batchMessageListener) {
		Assert.notNull(batchMessageListener, "'batchMessageListener' must not be null");
		this.batchMessageListener = batchMessageListener;
		this.messageListener = null;
		this.batchListener = true;
	}

	/**
	 * Whether the listener takes batches.
	 * @return {@code true} for a batch listener
	 */
	public boolean isBatchListener() {
		return this.batchListener;
	}

	/**
	 * Whether the listener takes batches. On a factory's template this is the default of
	 * endpoints that do not say ({@code @NsqListener(batch = "")}); default false.
	 * @param batchListener {@code true} for batches
	 */
	public void setBatchListener(boolean batchListener) {
		this.batchListener = batchListener;
	}

	public @Nullable Integer getBatchSize() {
		return this.batchSize;
	}

	/**
	 * The most messages in one batch (default {@code null}: the consumer's max in
	 * flight). A batch is handed to the listener when it holds this many messages or when
	 * its first message has waited the {@linkplain #setBatchTimeout batch timeout},
	 * whichever comes first. Max in flight must be at least the batch size, since nsqd
	 * never delivers more than max in flight unanswered messages: the container refuses
	 * to start otherwise.
	 * @param batchSize at least 1, or {@code null} for max in flight
	 */
	public void setBatchSize(@Nullable Integer batchSize) {
		Assert.isTrue(batchSize == null || batchSize > 0, () -> "batchSize must be at least 1, was " + batchSize);
		this.batchSize = batchSize;
	}

	public Duration getBatchTimeout() {
		return this.batchTimeout;
	}

	/**
	 * Longest a batch waits to fill after its first message arrived (default 500ms). Must
	 * be below half the consumer's {@code msg_timeout} (nsqd's default of 60s when
	 * unset), checked at start, so that waiting never lets a message time out on nsqd.
	 * @param batchTimeout a positive duration
	 */
	public void setBatchTimeout(Duration batchTimeout) {
		Assert.notNull(batchTimeout, "'batchTimeout' must not be null");
		Assert.isTrue(!batchTimeout.isNegative() && !batchTimeout.isZero(),
				() -> "batchTimeout must be positive, was " + batchTimeout);
		this.batchTimeout = batchTimeout;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * How many listener calls may run at once (default 1), independent of
	 * {@link #setMaxInFlight(int) max in flight}: nsqd never has more than max in flight
	 * messages out to the consumer, so threads beyond it stay idle. For a batch listener,
	 * how many batches are processed at once; keep max in flight at least
	 * {@code concurrency × batch size} to keep every listener thread busy. The container
	 * logs a warning at start when this does not hold.
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
	 * Most messages held at once (RDY), spread over nsqd connections (default 1; a
	 * container factory starts from {@code nsq.consumer.max-in-flight}). The consumer
	 * properties and listener-aware customizers may change it; once started, this is the
	 * value in use.
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
	 * Deliveries of a message before it goes to the recoverer (default 5; 0 for no limit;
	 * a container factory starts from {@code nsq.consumer.max-attempts}). The consumer
	 * properties and listener-aware customizers may change it; once started, this is the
	 * value in use.
	 * @param maxAttempts 0 to 65535
	 */
	public void setMaxAttempts(int maxAttempts) {
		Assert.isTrue(maxAttempts >= 0 && maxAttempts <= 65535,
				() -> "maxAttempts must be 0 to 65535, was " + maxAttempts);
		this.maxAttempts = maxAttempts;
	}

	/**
	 * The consumer options of this listener, by go-nsq name.
	 * @return a read-only view
	 */
	public Map<String, String> getConsumerProperties() {
		return Collections.unmodifiableMap(this.consumerProperties);
	}

	/**
	 * Consumer options of this listener by their go-nsq names (the names of
	 * {@link io.github.nsqspring.core.config.NsqConfig.Builder#set(String, Object)}, e.g.
	 * {@code msg_timeout=2m}, {@code max_attempts=10}, {@code default_requeue_delay=5s}),
	 * applied over everything else (see the class comment). Added to the ones already
	 * set; a name set again is replaced. An unknown name or invalid value fails the start
	 * with a message naming the listener and the option.
	 * @param consumerProperties option names and values
	 */
	public void setConsumerProperties(Map<String, String> consumerProperties) {
		Assert.notNull(consumerProperties, "'consumerProperties' must not be null");
		this.consumerProperties.putAll(consumerProperties);
	}

	/**
	 * The listener-aware customizers of the consumer.
	 * @return a read-only view, in order
	 */
	public List<NsqListenerConsumerCustomizer> getConsumerCustomizers() {
		return Collections.unmodifiableList(this.consumerCustomizers);
	}

	/**
	 * Add a customizer that configures the consumer of this container, knowing which
	 * listener it is for. Runs at each start, after the consumer factory's customizers
	 * and before the {@linkplain #setConsumerProperties consumer properties}.
	 * @param customizer the customizer
	 */
	public void addConsumerCustomizer(NsqListenerConsumerCustomizer customizer) {
		Assert.notNull(customizer, "'customizer' must not be null");
		this.consumerCustomizers.add(customizer);
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

	public @Nullable NsqMessageInterceptor getMessageInterceptor() {
		return this.messageInterceptor;
	}

	/**
	 * An interceptor called around each message's listener call (default none). Use a
	 * {@link CompositeNsqMessageInterceptor} for several.
	 * @param messageInterceptor the interceptor, or {@code null}
	 */
	public void setMessageInterceptor(@Nullable NsqMessageInterceptor messageInterceptor) {
		this.messageInterceptor = messageInterceptor;
	}

	public @Nullable NsqMessageFilterStrategy getFilterStrategy() {
		return this.filterStrategy;
	}

	/**
	 * A filter deciding which messages are finished without reaching the listener
	 * (default none).
	 * @param filterStrategy the filter, or {@code null}
	 */
	public void setFilterStrategy(@Nullable NsqMessageFilterStrategy filterStrategy) {
		this.filterStrategy = filterStrategy;
	}

	public @Nullable Executor getExecutor() {
		return this.executor;
	}

	/**
	 * The executor running listener calls. By default the consumer runs them on
	 * {@code concurrency} daemon threads of its own (or virtual threads, see
	 * {@link #setVirtualThreads(boolean)}). A given executor is not shut down by the
	 * container; it runs {@code concurrency} long-lived handler loops per running
	 * container (a batch listener: {@code concurrency} batch loops and one loop that
	 * gathers the batches), so it must be able to run that many tasks at once.
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
	 * the message carries an envelope with trace context. Batch listeners are not
	 * observed.
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
		StringBuilder text = new StringBuilder("NsqContainerProperties[topic=").append(this.topic)
			.append(", channel=")
			.append(this.channel)
			.append(", concurrency=")
			.append(this.concurrency)
			.append(", maxInFlight=")
			.append(this.maxInFlight)
			.append(", maxAttempts=")
			.append(this.maxAttempts)
			.append(", shutdownTimeout=")
			.append(this.shutdownTimeout);
		if (this.batchListener) {
			text.append(", batchSize=")
				.append((this.batchSize != null) ? this.batchSize : "maxInFlight")
				.append(", batchTimeout=")
				.append(this.batchTimeout);
		}
		if (!this.consumerProperties.isEmpty()) {
			Map<String, String> shown = new LinkedHashMap<>();
			// never print a secret given as a consumer property
			this.consumerProperties.forEach((name, value) -> shown.put(name,
					name.toLowerCase(Locale.ROOT).contains("secret") ? "******" : value));
			text.append(", consumerProperties=").append(shown);
		}
		return text.append(']').toString();
	}

}
