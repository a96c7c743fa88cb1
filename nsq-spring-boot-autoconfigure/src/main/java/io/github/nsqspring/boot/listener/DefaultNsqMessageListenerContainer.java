package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import io.github.nsqspring.boot.admin.NsqChannelDeclarer;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.core.NsqListenerConsumerSpec;
import io.github.nsqspring.boot.event.ConnectionLostEvent;
import io.github.nsqspring.boot.event.ConnectionRestoredEvent;
import io.github.nsqspring.boot.event.ConsumerFailedToStartEvent;
import io.github.nsqspring.boot.event.ConsumerIdleEvent;
import io.github.nsqspring.boot.event.ConsumerNoLongerIdleEvent;
import io.github.nsqspring.boot.event.ConsumerPausedEvent;
import io.github.nsqspring.boot.event.ConsumerResumedEvent;
import io.github.nsqspring.boot.event.ConsumerStartedEvent;
import io.github.nsqspring.boot.event.ConsumerStartingEvent;
import io.github.nsqspring.boot.event.ConsumerStoppedEvent;
import io.github.nsqspring.boot.event.ConsumerStoppingEvent;
import io.github.nsqspring.boot.event.NsqEvent;
import io.github.nsqspring.boot.event.PermanentConnectionFailureEvent;
import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.NsqListenerObservation;
import io.github.nsqspring.boot.observation.NsqMessageReceiverContext;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.ConnectFailures;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The standard {@link NsqMessageListenerContainer}: one nsq-core consumer per container,
 * created at each start. The consumer spreads {@code maxInFlight} over its nsqd
 * connections and runs up to {@code concurrency} listener calls at once.
 * <h2>Messages</h2> Each message first meets the {@link NsqMessageFilterStrategy} (a
 * discarded message is finished and counted, {@link #getFilteredCount()}), then the
 * {@link NsqMessageInterceptor}, then the listener. A failure goes to the
 * {@link NsqErrorHandler} unless the listener already answered the message. Messages the
 * consumer gives up on before calling the listener (over {@code maxAttempts}) go to
 * {@link NsqErrorHandler#handleExhausted}; when that fails (its recoverer threw), the
 * message is requeued with backoff rather than finished, and counted
 * ({@link #getRecoveryFailureCount()}).
 * <h2>Batches</h2> With a {@linkplain NsqContainerProperties#setBatchMessageListener
 * batch listener}, messages are gathered into batches of up to the batch size (default:
 * max in flight), each handed over when full or when its first message has waited the
 * batch timeout; {@code concurrency} batches are processed at once, each on its own
 * thread. Max in flight below the batch size, or a batch timeout of half
 * {@code msg_timeout} or more, fail the start. See {@link NsqBatchMessageListener} for
 * how a batch is answered.
 * <h2>Consumer configuration</h2> See {@link NsqContainerProperties}: the consumer
 * factory's configuration, the container's max in flight and max attempts, the
 * {@linkplain NsqListenerConsumerCustomizer listener-aware customizers}, then the
 * listener's consumer properties. An invalid result fails the start with a message naming
 * the listener and the option.
 * <h2>Events</h2> Publishes {@link ConsumerStartingEvent}, {@link ConsumerStartedEvent},
 * {@link ConsumerFailedToStartEvent}, {@link ConsumerStoppingEvent},
 * {@link ConsumerStoppedEvent}, {@link ConsumerPausedEvent},
 * {@link ConsumerResumedEvent}, {@link ConsumerIdleEvent} /
 * {@link ConsumerNoLongerIdleEvent} (with an idle event interval),
 * {@link ConnectionLostEvent}, {@link ConnectionRestoredEvent} and
 * {@link PermanentConnectionFailureEvent} when an event publisher is set. For the
 * connection events the container adds its own {@link ConsumerListener} to the consumer;
 * one set by a customizer is called as well.
 * <h2>Failures that retrying cannot heal</h2> A configuration that can never work (see
 * {@link StartupFailurePolicy}) fails the start under {@link StartupFailurePolicy#STOP},
 * with a message naming the listener and the fix; under
 * {@link StartupFailurePolicy#CONTINUE} the container logs it and stays stopped. When the
 * running consumer meets one later, on an nsqd it connects to afterwards, the container
 * publishes a {@link PermanentConnectionFailureEvent} and logs an ERROR naming the
 * listener, the nsqd and the fix; under {@code STOP} it then stops, under
 * {@code CONTINUE} it goes on with its other nsqd.
 * <h2>Stopping</h2> See {@link #stop(Runnable)}: the messages already delivered are
 * finished, what is unanswered at the shutdown timeout is requeued at once, and the
 * consumer logs how many of each.
 * <p>
 * Observability, from the {@link NsqContainerProperties}: delivery observations
 * ({@link NsqListenerObservation}) of record listeners when observation is enabled, and
 * {@link NsqListenerMetrics} when a metrics factory is set.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqMessageListenerContainer
		implements NsqMessageListenerContainer, BeanNameAware, ApplicationEventPublisherAware {

	/** nsqd's own {@code --msg-timeout} default, used when the consumer asks for none. */
	private static final Duration NSQD_DEFAULT_MSG_TIMEOUT = Duration.ofSeconds(60);

	private static final LogAccessor logger = new LogAccessor(DefaultNsqMessageListenerContainer.class);

	private final NsqConsumerFactory consumerFactory;

	private final NsqContainerProperties containerProperties;

	private final ReentrantLock lifecycleLock = new ReentrantLock();

	private String listenerId;

	private boolean autoStartup = true;

	private int phase = DEFAULT_PHASE;

	private @Nullable ApplicationEventPublisher eventPublisher;

	private volatile @Nullable NsqConsumer consumer;

	private volatile @Nullable MessageBatcher batcher;

	private volatile @Nullable NsqConfig consumerConfig;

	private volatile boolean running;

	private volatile boolean paused;

	private @Nullable CompletableFuture<Void> stopping;

	private volatile @Nullable NsqListenerMetrics metrics;

	private final Set<String> lostConnections = ConcurrentHashMap.newKeySet();

	private final LongAdder filtered = new LongAdder();

	private final LongAdder recoveryFailures = new LongAdder();

	private volatile @Nullable IdleMonitor idleMonitor;

	private @Nullable NsqChannelDeclarer channelDeclarer;

	/**
	 * Create a container.
	 * @param consumerFactory creates the consumer at each start
	 * @param containerProperties the settings, with a topic and channel
	 */
	public DefaultNsqMessageListenerContainer(NsqConsumerFactory consumerFactory,
			NsqContainerProperties containerProperties) {
		Assert.notNull(consumerFactory, "'consumerFactory' must not be null");
		Assert.notNull(containerProperties, "'containerProperties' must not be null");
		Assert.isTrue(StringUtils.hasText(containerProperties.getTopic()),
				"'containerProperties' must have a topic and channel (a factory's template has none)");
		this.consumerFactory = consumerFactory;
		this.containerProperties = containerProperties;
		this.listenerId = containerProperties.getTopic() + "/" + containerProperties.getChannel();
	}

	@Override
	public void setBeanName(String name) {
		this.listenerId = name;
	}

	/**
	 * Set the id of this container (default {@code topic/channel}).
	 * @param listenerId the id
	 */
	public void setListenerId(String listenerId) {
		this.listenerId = listenerId;
	}

	@Override
	public String getListenerId() {
		return this.listenerId;
	}

	@Override
	public NsqContainerProperties getContainerProperties() {
		return this.containerProperties;
	}

	/**
	 * Whether the registry (or the context) starts this container (default true).
	 * @param autoStartup {@code false} to start it only on demand
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	/**
	 * Set the lifecycle phase (default {@link #DEFAULT_PHASE}).
	 * @param phase the phase
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	/**
	 * Declare the channel on nsqd at each start, before the consumer subscribes (default
	 * none). When it throws, the start fails as the startup failure policy says.
	 * @param channelDeclarer the declarer, or {@code null} for none
	 */
	public void setChannelDeclarer(@Nullable NsqChannelDeclarer channelDeclarer) {
		this.channelDeclarer = channelDeclarer;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPaused() {
		return this.paused;
	}

	@Override
	public @Nullable ConsumerStats getStats() {
		NsqConsumer current = this.consumer;
		return (current != null && this.running) ? current.stats() : null;
	}

	/**
	 * Messages the {@link NsqMessageFilterStrategy} discarded (and finished), over the
	 * container's lifetime.
	 * @return the count
	 */
	public long getFilteredCount() {
		return this.filtered.sum();
	}

	/**
	 * Messages whose recoverer failed (a dead-letter publish nsqd refused, for example),
	 * so that they were requeued with backoff instead of finished, over the container's
	 * lifetime.
	 * @return the count
	 */
	public long getRecoveryFailureCount() {
		return this.recoveryFailures.sum();
	}

	/**
	 * The consumer configuration of the running consumer, after every layer (see
	 * {@link NsqContainerProperties}).
	 * @return the configuration, or {@code null} before the first start
	 */
	public @Nullable NsqConfig getConsumerConfig() {
		return this.consumerConfig;
	}

	@Override
	public void recoveryFailed(NsqMessage message, Throwable cause) {
		this.recoveryFailures.increment();
		NsqListenerMetrics listenerMetrics = this.metrics;
		if (listenerMetrics != null) {
			listenerMetrics.recoveryFailed();
		}
	}

	/**
	 * Check the consumer configuration as the next start will build it (the
	 * listener-aware customizers are given a consumer builder that is then dropped), and
	 * set {@link NsqContainerProperties#getMaxInFlight() max in flight} and
	 * {@link NsqContainerProperties#getMaxAttempts() max attempts} to the values it
	 * yields. Container factories call this when they create a container, so that a bad
	 * per-listener setting fails the application's startup even when the container does
	 * not start with it.
	 * @throws NsqConfigException naming the listener and the invalid option
	 */
	public void checkConsumerConfiguration() {
		NsqContainerProperties properties = this.containerProperties;
		applyEffective(resolveConsumerConfig(NsqConsumer.builder(properties.getTopic(), properties.getChannel())));
	}

	@Override
	public void start() {
		this.lifecycleLock.lock();
		try {
			if (this.running) {
				return;
			}
			awaitPreviousStop();
			NsqContainerProperties properties = this.containerProperties;
			boolean batch = properties.isBatchListener();
			NsqMessageListener listener = properties.getMessageListener();
			NsqBatchMessageListener batchListener = properties.getBatchMessageListener();
			Assert.state(batch ? batchListener != null : listener != null, () -> "No " + (batch ? "batch " : "")
					+ "message listener set on container '" + this.listenerId + "'");
			publish(new ConsumerStartingEvent(this, this));
			MessageBatcher createdBatcher = null;
			try {
				NsqChannelDeclarer declarer = this.channelDeclarer;
				if (declarer != null) {
					declarer.declareChannel(properties.getTopic(), properties.getChannel());
				}
				Executor executor = resolveExecutor(properties);
				NsqListenerMetrics listenerMetrics = metrics(properties);
				NsqConfig base = this.consumerFactory.getConfig()
					.toBuilder()
					.consumer((consumer) -> consumer.maxInFlight(properties.getMaxInFlight())
						.maxAttempts(properties.getMaxAttempts()))
					.build();
				NsqConfig[] effective = { base };
				ContainerConsumerListener connectionEvents = new ContainerConsumerListener(listenerMetrics);
				NsqConsumer created = this.consumerFactory.createConsumer(properties.getTopic(),
						properties.getChannel(), base, (builder) -> {
							NsqConfig config = resolveConsumerConfig(builder);
							effective[0] = config;
							builder.config(this.paused
									? config.toBuilder().consumer((consumer) -> consumer.maxInFlight(0)).build()
									: config);
							builder.failedMessageHandler(this::onExhausted);
							builder.shutdownTimeout(properties.getShutdownTimeout());
							builder.listener(compose(builder.getListener(), connectionEvents));
							if (batch) {
								// the handler only gathers: one is enough, the batches
								// run on the batcher's own loops
								builder.handler(this::onBatchMessage);
								builder.concurrency(1);
							}
							else {
								builder.handler((message) -> onMessage(listener, message));
								builder.concurrency(properties.getConcurrency());
							}
							if (executor != null) {
								builder.executor(executor);
							}
						});
				applyEffective(effective[0]);
				warnIfThreadsCannotAllBeBusy(effective[0]);
				if (batch) {
					BatchListenerInvoker invoker = new BatchListenerInvoker(this);
					createdBatcher = new MessageBatcher(this.listenerId, batchSize(effective[0]),
							properties.getBatchTimeout(), msgTimeout(effective[0]), properties.getConcurrency(),
							executor, invoker::process);
					this.batcher = createdBatcher;
				}
				connectionEvents.consumer = created;
				if (listenerMetrics != null) {
					listenerMetrics.consumerStarted(created);
				}
				created.start();
				this.consumer = created;
				this.running = true;
				startIdleMonitor(properties.getIdleEventInterval());
			}
			catch (RuntimeException ex) {
				if (createdBatcher != null) {
					createdBatcher.close();
					this.batcher = null;
				}
				publish(new ConsumerFailedToStartEvent(this, this, ex));
				String failure = "Listener container '" + this.listenerId + "' for " + properties.getTopic() + "/"
						+ properties.getChannel() + " failed to start: " + ex.getMessage() + remedy(ex);
				if (properties.getStartupFailurePolicy() == StartupFailurePolicy.STOP) {
					throw new IllegalStateException(failure, ex);
				}
				logger.error(ex, () -> failure + "; continuing without it (startup failure policy CONTINUE)");
				return;
			}
			logger.info(() -> "Listener container '" + this.listenerId + "' started: " + properties);
			publish(new ConsumerStartedEvent(this, this));
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	/**
	 * The consumer configuration: the factory's, the container's max in flight and max
	 * attempts, the listener-aware customizers, then the listener's consumer properties.
	 */
	private NsqConfig resolveConsumerConfig(NsqConsumerBuilder builder) {
		NsqContainerProperties properties = this.containerProperties;
		String where = "Listener '" + this.listenerId + "' (" + properties.getTopic() + "/" + properties.getChannel()
				+ ")";
		NsqConfig.Builder config = this.consumerFactory.getConfig()
			.toBuilder()
			.consumer((consumer) -> consumer.maxInFlight(properties.getMaxInFlight())
				.maxAttempts(properties.getMaxAttempts()));
		for (NsqListenerConsumerCustomizer customizer : properties.getConsumerCustomizers()) {
			customizer.customize(new NsqListenerConsumerSpec(this.listenerId, properties.getTopic(),
					properties.getChannel(), config, builder));
		}
		for (Map.Entry<String, String> option : properties.getConsumerProperties().entrySet()) {
			try {
				config.set(option.getKey(), option.getValue());
			}
			catch (NsqConfigException ex) {
				throw new NsqConfigException(
						where + ": invalid consumer property '" + option.getKey() + "': " + ex.getMessage(), ex);
			}
		}
		NsqConfig effective;
		try {
			effective = config.build();
		}
		catch (NsqConfigException ex) {
			throw new NsqConfigException(where + ": invalid consumer configuration: " + ex.getMessage(), ex);
		}
		if (effective.consumer().getMaxInFlight() < 1) {
			throw new NsqConfigException(where + ": max_in_flight must be at least 1 for a listener, was "
					+ effective.consumer().getMaxInFlight() + " (pause the container to stop delivery)");
		}
		if (properties.isBatchListener()) {
			checkBatch(effective, where);
		}
		return effective;
	}

	private void checkBatch(NsqConfig config, String where) {
		NsqContainerProperties properties = this.containerProperties;
		Integer batchSize = properties.getBatchSize();
		if (batchSize != null && batchSize > config.consumer().getMaxInFlight()) {
			throw new NsqConfigException(where + ": max in flight (" + config.consumer().getMaxInFlight()
					+ ") is below the batch size (" + batchSize + "): nsqd never delivers more than max in flight "
					+ "unanswered messages, so a batch could never fill. Raise max in flight (maxInFlight, "
					+ "max_in_flight or nsq.consumer.max-in-flight) or lower the batch size");
		}
		Duration msgTimeout = msgTimeout(config);
		if (properties.getBatchTimeout().multipliedBy(2).compareTo(msgTimeout) >= 0) {
			throw new NsqConfigException(where + ": the batch timeout (" + properties.getBatchTimeout()
					+ ") must be below half of msg_timeout (" + msgTimeout + "), so that a message waiting for its "
					+ "batch cannot time out on nsqd");
		}
	}

	/**
	 * nsqd never has more than max in flight messages out to this consumer, so listener
	 * threads beyond that can never all be busy: say so at each start, with the numbers.
	 * A batch thread needs a batch, so batch listeners need {@code concurrency × batch
	 * size} in flight to keep every thread on full batches.
	 */
	private void warnIfThreadsCannotAllBeBusy(NsqConfig config) {
		NsqContainerProperties properties = this.containerProperties;
		int maxInFlight = config.consumer().getMaxInFlight();
		int concurrency = properties.getConcurrency();
		String where = "'" + this.listenerId + "' (" + properties.getTopic() + "/" + properties.getChannel() + ")";
		if (!properties.isBatchListener()) {
			if (concurrency > maxInFlight) {
				logger.warn(() -> "Listener " + where + ": concurrency (" + concurrency + ") exceeds max in flight ("
						+ maxInFlight + "): nsqd never has more than " + maxInFlight + " message(s) in flight to this "
						+ "consumer, so " + (concurrency - maxInFlight) + " listener thread(s) will stay idle. "
						+ "Raise max in flight (maxInFlight, max_in_flight or nsq.consumer.max-in-flight) or lower "
						+ "the concurrency");
			}
			return;
		}
		int batchSize = batchSize(config);
		if ((long) concurrency * batchSize > maxInFlight) {
			int fullBatches = maxInFlight / batchSize;
			logger.warn(() -> "Batch listener " + where + ": concurrency (" + concurrency + ") x batch size ("
					+ batchSize + ") exceeds max in flight (" + maxInFlight + "): nsqd never has more than "
					+ maxInFlight + " message(s) in flight to this consumer, so at most " + fullBatches
					+ " full batch(es) can be processed at once and the other threads get partial batches after the "
					+ "batch timeout, or none. Raise max in flight to " + ((long) concurrency * batchSize)
					+ " or lower the concurrency or batch size");
		}
	}

	private int batchSize(NsqConfig config) {
		Integer batchSize = this.containerProperties.getBatchSize();
		return (batchSize != null) ? batchSize : config.consumer().getMaxInFlight();
	}

	private static Duration msgTimeout(NsqConfig config) {
		return config.consumer().getMsgTimeout().isZero() ? NSQD_DEFAULT_MSG_TIMEOUT
				: config.consumer().getMsgTimeout();
	}

	private void applyEffective(NsqConfig effective) {
		this.consumerConfig = effective;
		this.containerProperties.setMaxInFlight(effective.consumer().getMaxInFlight());
		this.containerProperties.setMaxAttempts(effective.consumer().getMaxAttempts());
	}

	private static ConsumerListener compose(@Nullable ConsumerListener customized, ConsumerListener own) {
		return (customized != null) ? new CompositeConsumerListener(List.of(own, customized)) : own;
	}

	private @Nullable Executor resolveExecutor(NsqContainerProperties properties) {
		if (properties.getExecutor() != null) {
			return properties.getExecutor();
		}
		if (properties.isVirtualThreads()) {
			// the consumer bounds concurrent calls itself, so an unbounded virtual thread
			// executor is enough; threads are named after the listener for thread dumps
			return new VirtualThreadTaskExecutor("nsq-" + this.listenerId + "-");
		}
		return null;
	}

	/**
	 * The metrics of this container.
	 * @return the metrics, or {@code null} without a metrics factory
	 */
	@Nullable NsqListenerMetrics currentMetrics() {
		return this.metrics;
	}

	private @Nullable NsqListenerMetrics metrics(NsqContainerProperties properties) {
		NsqListenerMetrics.Factory factory = properties.getListenerMetrics();
		if (this.metrics == null && factory != null) {
			this.metrics = factory.create(this.listenerId, properties.getTopic(), properties.getChannel());
		}
		return this.metrics;
	}

	// ---------------------------------------------------------------- record listener

	private void onMessage(NsqMessageListener listener, NsqMessage message) {
		markActive();
		NsqContainerProperties properties = this.containerProperties;
		NsqListenerMetrics listenerMetrics = this.metrics;
		NsqMessageInterceptor interceptor = properties.getMessageInterceptor();
		NsqMessage target = admit(message, interceptor);
		if (target == null) {
			// the consumer finishes it unless it was answered
			return;
		}
		Observation observation = observation(properties, target);
		// no clock read per message unless it is metered
		long start = (listenerMetrics != null) ? System.nanoTime() : 0;
		boolean succeeded = false;
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			succeeded = invoke(listener, target, observation, interceptor, listenerMetrics);
		}
		finally {
			observation.stop();
			if (interceptor != null) {
				safely(() -> interceptor.afterMessage(target, this), "afterMessage");
			}
			if (listenerMetrics != null) {
				listenerMetrics.recordHandler(System.nanoTime() - start, succeeded);
			}
		}
	}

	private Observation observation(NsqContainerProperties properties, NsqMessage message) {
		if (!properties.isObservationEnabled() || properties.getObservationRegistry().isNoop()) {
			return Observation.NOOP;
		}
		return NsqListenerObservation.LISTENER_OBSERVATION
			.observation(properties.getObservationConvention(), DefaultNsqListenerObservationConvention.INSTANCE,
					() -> new NsqMessageReceiverContext(NsqEnvelope.decodeHeaders(message.body()), this.listenerId,
							properties.getTopic(), properties.getChannel(), message),
					properties.getObservationRegistry());
	}

	/**
	 * Call the listener and, when it fails, the interceptor and the error handler.
	 * @return whether the listener returned normally
	 */
	private boolean invoke(NsqMessageListener listener, NsqMessage message, Observation observation,
			@Nullable NsqMessageInterceptor interceptor, @Nullable NsqListenerMetrics listenerMetrics) {
		try {
			listener.onMessage(message);
		}
		catch (Exception ex) {
			observation.error(ex);
			if (interceptor != null) {
				safely(() -> interceptor.failure(message, ex, this), "failure");
			}
			handleFailure(message, ex, listenerMetrics);
			return false;
		}
		if (interceptor != null) {
			safely(() -> interceptor.success(message, this), "success");
		}
		return true;
	}

	/**
	 * Filter and intercept a message before its listener.
	 * @return the message for the listener, or {@code null} when the filter discarded it
	 * (finished), the interceptor skipped it, or either failed (handed to the error
	 * handler)
	 */
	private @Nullable NsqMessage admit(NsqMessage message, @Nullable NsqMessageInterceptor interceptor) {
		try {
			if (discard(message)) {
				return null;
			}
			return (interceptor != null) ? interceptor.intercept(message, this) : message;
		}
		catch (Exception ex) {
			handleFailure(message, ex, this.metrics);
			return null;
		}
	}

	/**
	 * Apply the filter.
	 * @return {@code true} when the message was discarded (and finished)
	 */
	private boolean discard(NsqMessage message) throws Exception {
		NsqMessageFilterStrategy filter = this.containerProperties.getFilterStrategy();
		if (filter == null || !filter.filter(message)) {
			return false;
		}
		message.finish();
		this.filtered.increment();
		NsqListenerMetrics listenerMetrics = this.metrics;
		if (listenerMetrics != null) {
			listenerMetrics.messageFiltered();
		}
		logger.trace(() -> "Listener '" + this.listenerId + "' filtered out message " + message.idText());
		return true;
	}

	/**
	 * Hand a failed message to the error handler, unless the listener already answered
	 * it; requeue it when the error handler fails.
	 */
	void handleFailure(NsqMessage message, Exception exception, @Nullable NsqListenerMetrics listenerMetrics) {
		if (message.hasResponded()) {
			// the listener answered (for example requeued with its own delay) before
			// failing: its answer stands
			logger.debug(exception,
					() -> "Listener of '" + this.listenerId + "' failed after answering message " + message.idText());
			return;
		}
		ResponseTrackingMessage tracked = new ResponseTrackingMessage(message);
		try {
			this.containerProperties.getErrorHandler().handleError(tracked, exception, this);
			if (tracked.finished && listenerMetrics != null) {
				// finished after a failure: given up on, not retried
				listenerMetrics.messageFailed();
			}
		}
		catch (RuntimeException handlerEx) {
			logger.error(handlerEx, () -> "Error handler of '" + this.listenerId + "' failed on message "
					+ message.idText() + "; requeueing it");
			if (!message.hasResponded()) {
				message.requeue();
			}
		}
	}

	private void onExhausted(NsqMessage message) {
		markActive();
		NsqListenerMetrics listenerMetrics = this.metrics;
		ResponseTrackingMessage tracked = new ResponseTrackingMessage(message);
		try {
			this.containerProperties.getErrorHandler().handleExhausted(tracked, this);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Error handler of '" + this.listenerId + "' failed on exhausted message "
					+ message.idText() + "; requeueing it with backoff instead of finishing it");
			recoveryFailed(message, ex);
			if (!message.hasResponded()) {
				message.requeue();
			}
		}
		if (!tracked.requeued && listenerMetrics != null) {
			listenerMetrics.messageFailed();
		}
	}

	// ---------------------------------------------------------------- batch listener

	/**
	 * The consumer's handler of a batch listener: filter and intercept the message, then
	 * add it to the forming batch. The batch answers it.
	 */
	private void onBatchMessage(NsqMessage message) {
		markActive();
		message.disableAutoResponse();
		NsqMessage target = admit(message, this.containerProperties.getMessageInterceptor());
		if (target == null) {
			if (!message.hasResponded()) {
				message.finish();
			}
			return;
		}
		MessageBatcher current = this.batcher;
		if (current == null) {
			message.requeueWithoutBackoff(Duration.ZERO);
			return;
		}
		current.add(new BatchedMessage(target, System.nanoTime()));
	}

	/**
	 * Call an interceptor method; its exception is logged, never passed on.
	 */
	void safely(Runnable callback, String method) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Message interceptor of '" + this.listenerId + "' failed in " + method);
		}
	}

	// ---------------------------------------------------------------- idle events

	private void markActive() {
		IdleMonitor monitor = this.idleMonitor;
		if (monitor != null && monitor.markActive()) {
			publish(new ConsumerNoLongerIdleEvent(this, this));
		}
	}

	private void startIdleMonitor(@Nullable Duration interval) {
		if (interval != null) {
			this.idleMonitor = new IdleMonitor(this.listenerId, interval, () -> this.running,
					(idleTime) -> publish(new ConsumerIdleEvent(this, this, idleTime)));
		}
	}

	private void stopIdleMonitor() {
		IdleMonitor monitor = this.idleMonitor;
		if (monitor != null) {
			monitor.stop();
			this.idleMonitor = null;
		}
	}

	// ---------------------------------------------------------------- lifecycle

	/**
	 * Stop and wait until the consumer has stopped: at most the shutdown timeout plus
	 * {@link #STOP_GRACE}. See {@link #stop(Runnable)}.
	 */
	@Override
	public void stop() {
		CompletableFuture<Void> future = doStop();
		try {
			future.get(this.containerProperties.getShutdownTimeout().plus(STOP_GRACE).toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException ex) {
			logger.warn(() -> "Listener container '" + this.listenerId + "' did not stop in time");
		}
		catch (Exception ex) {
			logger.warn(ex, () -> "Listener container '" + this.listenerId + "' failed to stop cleanly");
		}
	}

	/**
	 * Stop without waiting: ask nsqd for nothing more, let the listener finish every
	 * message already delivered (manual acknowledgments included) and requeue at once
	 * what is unanswered when the shutdown timeout ends, then close the connections and
	 * run the callback. The callback runs when the stop is complete, on the consumer's
	 * thread; when a stop is already under way (after a permanent failure, say), it runs
	 * when that one completes; when the container is stopped, at once.
	 * @param callback what to run once stopped
	 */
	@Override
	public void stop(Runnable callback) {
		doStop().whenComplete((result, ex) -> callback.run());
	}

	private CompletableFuture<Void> doStop() {
		this.lifecycleLock.lock();
		try {
			NsqConsumer current = this.consumer;
			if (!this.running || current == null) {
				return (this.stopping != null) ? this.stopping : CompletableFuture.completedFuture(null);
			}
			this.running = false;
			stopIdleMonitor();
			publish(new ConsumerStoppingEvent(this, this));
			logger.info(() -> "Stopping listener container '" + this.listenerId + "': asking nsqd for no more "
					+ "messages and finishing those delivered; what is still unanswered after "
					+ this.containerProperties.getShutdownTimeout() + " is requeued");
			MessageBatcher currentBatcher = this.batcher;
			if (currentBatcher != null) {
				// no more waiting for batches to fill: what was delivered is processed
				// now
				currentBatcher.stopping(this.containerProperties.getShutdownTimeout());
			}
			CompletableFuture<Void> stopped;
			try {
				stopped = current.stop(this.containerProperties.getShutdownTimeout());
			}
			catch (RuntimeException ex) {
				stopped = CompletableFuture.failedFuture(ex);
			}
			CompletableFuture<Void> done = stopped.handle((result, ex) -> {
				if (ex != null) {
					logger.warn(ex, () -> "Consumer of '" + this.listenerId + "' failed to stop cleanly");
				}
				if (currentBatcher != null) {
					currentBatcher.close();
					this.batcher = null;
				}
				NsqListenerMetrics listenerMetrics = this.metrics;
				if (listenerMetrics != null) {
					listenerMetrics.consumerStopped();
				}
				this.consumer = null;
				this.lostConnections.clear();
				logger.info(() -> "Listener container '" + this.listenerId + "' stopped");
				publish(new ConsumerStoppedEvent(this, this));
				return null;
			});
			this.stopping = done;
			return done;
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	private void awaitPreviousStop() {
		CompletableFuture<Void> previous = this.stopping;
		if (previous != null && !previous.isDone()) {
			previous.join();
		}
		this.stopping = null;
	}

	@Override
	public void pause() {
		this.lifecycleLock.lock();
		try {
			if (this.paused) {
				return;
			}
			this.paused = true;
			NsqConsumer current = this.consumer;
			if (current != null && this.running) {
				current.changeMaxInFlight(0);
			}
			logger.info(() -> "Listener container '" + this.listenerId + "' paused");
			publish(new ConsumerPausedEvent(this, this));
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	@Override
	public void resume() {
		this.lifecycleLock.lock();
		try {
			if (!this.paused) {
				return;
			}
			this.paused = false;
			NsqConsumer current = this.consumer;
			if (current != null && this.running) {
				current.changeMaxInFlight(this.containerProperties.getMaxInFlight());
			}
			logger.info(() -> "Listener container '" + this.listenerId + "' resumed");
			publish(new ConsumerResumedEvent(this, this));
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	/**
	 * A running consumer gave up on an nsqd: publish it and apply the startup failure
	 * policy (STOP stops this container, CONTINUE keeps the other nsqd). Called on a
	 * consumer thread, so it only starts the stop: the consumer's stop waits for this
	 * thread to end.
	 */
	private void permanentFailure(NsqConsumer failed, String nsqdAddress, NsqException cause) {
		NsqContainerProperties properties = this.containerProperties;
		String remedy = ConnectFailures.remedy(cause);
		String fix = (remedy != null) ? remedy : "check the configuration of the listener and of nsqd";
		boolean stop = properties.getStartupFailurePolicy() == StartupFailurePolicy.STOP;
		String failure = "Listener '" + this.listenerId + "' (" + properties.getTopic() + "/" + properties.getChannel()
				+ ") cannot consume from nsqd " + nsqdAddress + ": " + cause.getMessage();
		this.lifecycleLock.lock();
		try {
			if (this.consumer != failed || !this.running) {
				// a stop is already under way, or this is an earlier consumer
				return;
			}
			publish(new PermanentConnectionFailureEvent(this, this, nsqdAddress, cause, fix, stop));
			if (stop) {
				logger.error(() -> failure + "; stopping its container (startup failure policy STOP). To fix: " + fix);
				doStop();
			}
			else {
				logger.error(() -> failure + "; it goes on with its other nsqd, if any (startup failure policy "
						+ "CONTINUE). To fix: " + fix);
			}
		}
		finally {
			this.lifecycleLock.unlock();
		}
	}

	/**
	 * The fix for a failure to start, when the failure says none itself.
	 */
	private static String remedy(RuntimeException failure) {
		String remedy = ConnectFailures.remedy(failure);
		// a configuration error's message already says what to change
		return (remedy == null || failure instanceof NsqConfigException) ? "" : ". To fix: " + remedy;
	}

	private void publish(NsqEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			try {
				publisher.publishEvent(event);
			}
			catch (RuntimeException ex) {
				// a context that is closing refuses events; never let that break a stop
				logger.debug(ex, () -> "Could not publish " + event);
			}
		}
	}

	/**
	 * Turns the consumer's connection events into application events and meters.
	 */
	private final class ContainerConsumerListener implements ConsumerListener {

		private final @Nullable NsqListenerMetrics listenerMetrics;

		/** The consumer this listener was given to, set before it starts. */
		volatile @Nullable NsqConsumer consumer;

		ContainerConsumerListener(@Nullable NsqListenerMetrics listenerMetrics) {
			this.listenerMetrics = listenerMetrics;
		}

		@Override
		public void onConnected(String nsqdAddress) {
			DefaultNsqMessageListenerContainer container = DefaultNsqMessageListenerContainer.this;
			if (container.lostConnections.remove(nsqdAddress)) {
				if (this.listenerMetrics != null) {
					this.listenerMetrics.reconnected();
				}
				publish(new ConnectionRestoredEvent(container, container, nsqdAddress));
			}
		}

		@Override
		public void onDisconnected(String nsqdAddress, @Nullable Throwable cause) {
			DefaultNsqMessageListenerContainer container = DefaultNsqMessageListenerContainer.this;
			if (cause != null && container.running && container.lostConnections.add(nsqdAddress)) {
				publish(new ConnectionLostEvent(container, container, nsqdAddress, cause));
			}
		}

		@Override
		public void onLookupFailed(Throwable cause) {
			if (this.listenerMetrics != null) {
				this.listenerMetrics.lookupdPollFailed();
			}
		}

		@Override
		public void onPermanentFailure(String nsqdAddress, NsqException cause) {
			NsqConsumer failed = this.consumer;
			if (failed != null) {
				permanentFailure(failed, nsqdAddress, cause);
			}
		}

	}

	@Override
	public String toString() {
		return "DefaultNsqMessageListenerContainer[id=" + this.listenerId + ", " + this.containerProperties + "]";
	}

}
