package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.github.nsqspring.boot.admin.NsqChannelDeclarer;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
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
import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.NsqListenerObservation;
import io.github.nsqspring.boot.observation.NsqMessageReceiverContext;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.util.Assert;

/**
 * The standard {@link NsqMessageListenerContainer}: one nsq-core consumer per container,
 * created at each start. The consumer spreads {@code maxInFlight} over its nsqd
 * connections and runs up to {@code concurrency} listener calls at once.
 * <p>
 * Each message goes to the listener; a failure goes to the {@link NsqErrorHandler} unless
 * the listener already answered the message. Messages the consumer gives up on before
 * calling the listener (over {@code maxAttempts}) go to
 * {@link NsqErrorHandler#handleExhausted}.
 * <p>
 * Publishes {@link ConsumerStartingEvent}, {@link ConsumerStartedEvent},
 * {@link ConsumerFailedToStartEvent}, {@link ConsumerStoppingEvent},
 * {@link ConsumerStoppedEvent}, {@link ConsumerPausedEvent},
 * {@link ConsumerResumedEvent}, {@link ConsumerIdleEvent} /
 * {@link ConsumerNoLongerIdleEvent} (with an idle event interval),
 * {@link ConnectionLostEvent} and {@link ConnectionRestoredEvent} when an event publisher
 * is set. For the connection events the container installs its own
 * {@link ConsumerListener} on the consumer, replacing one set by an
 * {@code NsqConsumerBuilderCustomizer}.
 * <p>
 * Observability, from the {@link NsqContainerProperties}: delivery observations
 * ({@link NsqListenerObservation}) when observation is enabled, and
 * {@link NsqListenerMetrics} when a metrics factory is set.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqMessageListenerContainer
		implements NsqMessageListenerContainer, BeanNameAware, ApplicationEventPublisherAware {

	private static final LogAccessor logger = new LogAccessor(DefaultNsqMessageListenerContainer.class);

	private final NsqConsumerFactory consumerFactory;

	private final NsqContainerProperties containerProperties;

	private final ReentrantLock lifecycleLock = new ReentrantLock();

	private String listenerId;

	private boolean autoStartup = true;

	private int phase = DEFAULT_PHASE;

	private @Nullable ApplicationEventPublisher eventPublisher;

	private volatile @Nullable NsqConsumer consumer;

	private volatile boolean running;

	private volatile boolean paused;

	private @Nullable CompletableFuture<Void> stopping;

	private volatile @Nullable NsqListenerMetrics metrics;

	private final Set<String> lostConnections = ConcurrentHashMap.newKeySet();

	private @Nullable ScheduledExecutorService idleMonitor;

	private volatile long lastMessageNanos;

	private volatile boolean idle;

	private @Nullable NsqChannelDeclarer channelDeclarer;

	/**
	 * Create a container.
	 * @param consumerFactory creates the consumer at each start
	 * @param containerProperties the settings
	 */
	public DefaultNsqMessageListenerContainer(NsqConsumerFactory consumerFactory,
			NsqContainerProperties containerProperties) {
		Assert.notNull(consumerFactory, "'consumerFactory' must not be null");
		Assert.notNull(containerProperties, "'containerProperties' must not be null");
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

	@Override
	public void start() {
		this.lifecycleLock.lock();
		try {
			if (this.running) {
				return;
			}
			awaitPreviousStop();
			NsqContainerProperties properties = this.containerProperties;
			NsqMessageListener listener = properties.getMessageListener();
			Assert.state(listener != null, () -> "No message listener set on container '" + this.listenerId + "'");
			publish(new ConsumerStartingEvent(this, this));
			try {
				NsqChannelDeclarer declarer = this.channelDeclarer;
				if (declarer != null) {
					declarer.declareChannel(properties.getTopic(), properties.getChannel());
				}
				NsqConfig config = this.consumerFactory.getConfig()
					.toBuilder()
					.maxInFlight(this.paused ? 0 : properties.getMaxInFlight())
					.maxAttempts(properties.getMaxAttempts())
					.build();
				Executor executor = resolveExecutor(properties);
				NsqListenerMetrics listenerMetrics = metrics(properties);
				NsqConsumer created = this.consumerFactory.createConsumer(properties.getTopic(),
						properties.getChannel(), config, (builder) -> {
							builder.handler((message) -> onMessage(listener, message));
							builder.failedMessageHandler(this::onExhausted);
							builder.concurrency(properties.getConcurrency());
							builder.shutdownTimeout(properties.getShutdownTimeout());
							builder.listener(new ContainerConsumerListener(listenerMetrics));
							if (executor != null) {
								builder.executor(executor);
							}
						});
				if (listenerMetrics != null) {
					listenerMetrics.consumerStarted(created);
				}
				created.start();
				this.consumer = created;
				this.running = true;
				startIdleMonitor(properties.getIdleEventInterval());
			}
			catch (RuntimeException ex) {
				publish(new ConsumerFailedToStartEvent(this, this, ex));
				if (properties.getStartupFailurePolicy() == StartupFailurePolicy.STOP) {
					throw new IllegalStateException("Listener container '" + this.listenerId + "' for "
							+ properties.getTopic() + "/" + properties.getChannel() + " failed to start", ex);
				}
				logger.error(ex, () -> "Listener container '" + this.listenerId + "' failed to start; continuing "
						+ "without it (startup failure policy CONTINUE)");
				return;
			}
			logger.info(() -> "Listener container '" + this.listenerId + "' started: " + properties);
			publish(new ConsumerStartedEvent(this, this));
		}
		finally {
			this.lifecycleLock.unlock();
		}
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

	private @Nullable NsqListenerMetrics metrics(NsqContainerProperties properties) {
		NsqListenerMetrics.Factory factory = properties.getListenerMetrics();
		if (this.metrics == null && factory != null) {
			this.metrics = factory.create(this.listenerId, properties.getTopic(), properties.getChannel());
		}
		return this.metrics;
	}

	private void onMessage(NsqMessageListener listener, NsqMessage message) {
		markActive();
		NsqContainerProperties properties = this.containerProperties;
		Observation observation = observation(properties, message);
		NsqListenerMetrics listenerMetrics = this.metrics;
		long start = System.nanoTime();
		boolean succeeded = false;
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			succeeded = invoke(listener, message, observation, listenerMetrics);
		}
		finally {
			observation.stop();
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
	 * Call the listener and, when it fails, the error handler.
	 * @return whether the listener returned normally
	 */
	private boolean invoke(NsqMessageListener listener, NsqMessage message, Observation observation,
			@Nullable NsqListenerMetrics listenerMetrics) {
		try {
			listener.onMessage(message);
			return true;
		}
		catch (Exception ex) {
			observation.error(ex);
			if (message.hasResponded()) {
				// the listener answered (for example requeued with its own delay) before
				// failing: its answer stands
				logger.debug(ex, () -> "Listener of '" + this.listenerId + "' failed after answering message "
						+ message.idText());
				return false;
			}
			ResponseTrackingMessage tracked = new ResponseTrackingMessage(message);
			try {
				this.containerProperties.getErrorHandler().handleError(tracked, ex, this);
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
			return false;
		}
	}

	private void onExhausted(NsqMessage message) {
		markActive();
		NsqListenerMetrics listenerMetrics = this.metrics;
		if (listenerMetrics != null) {
			listenerMetrics.messageFailed();
		}
		this.containerProperties.getErrorHandler().handleExhausted(message, this);
	}

	private void markActive() {
		this.lastMessageNanos = System.nanoTime();
		if (this.idle) {
			this.idle = false;
			publish(new ConsumerNoLongerIdleEvent(this, this));
		}
	}

	private void startIdleMonitor(@Nullable Duration interval) {
		if (interval == null) {
			return;
		}
		this.lastMessageNanos = System.nanoTime();
		this.idle = false;
		ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "nsq-idle-" + this.listenerId);
			thread.setDaemon(true);
			return thread;
		});
		long intervalNanos = interval.toNanos();
		long period = Math.max(intervalNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
		long[] lastEventNanos = { 0 };
		monitor.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			long idleNanos = now - this.lastMessageNanos;
			if (this.running && idleNanos >= intervalNanos
					&& (!this.idle || now - lastEventNanos[0] >= intervalNanos)) {
				this.idle = true;
				lastEventNanos[0] = now;
				publish(new ConsumerIdleEvent(this, this, Duration.ofNanos(idleNanos)));
			}
		}, period, period, TimeUnit.NANOSECONDS);
		this.idleMonitor = monitor;
	}

	private void stopIdleMonitor() {
		ScheduledExecutorService monitor = this.idleMonitor;
		if (monitor != null) {
			monitor.shutdownNow();
			this.idleMonitor = null;
		}
	}

	@Override
	public void stop() {
		CompletableFuture<Void> future = doStop();
		try {
			// bounded: the consumer requeues what is left after the shutdown timeout
			future.get(this.containerProperties.getShutdownTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
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
			logger.info(() -> "Stopping listener container '" + this.listenerId + "', waiting up to "
					+ this.containerProperties.getShutdownTimeout() + " for in-flight messages");
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

	}

	/**
	 * Remembers whether the error handler finished a failed message (gave up on it).
	 */
	private static final class ResponseTrackingMessage implements NsqMessage {

		private final NsqMessage delegate;

		private volatile boolean finished;

		ResponseTrackingMessage(NsqMessage delegate) {
			this.delegate = delegate;
		}

		@Override
		public byte[] id() {
			return this.delegate.id();
		}

		@Override
		public String idText() {
			return this.delegate.idText();
		}

		@Override
		public int attempts() {
			return this.delegate.attempts();
		}

		@Override
		public long timestamp() {
			return this.delegate.timestamp();
		}

		@Override
		public byte[] body() {
			return this.delegate.body();
		}

		@Override
		public String nsqdAddress() {
			return this.delegate.nsqdAddress();
		}

		@Override
		public void finish() {
			if (!this.delegate.hasResponded()) {
				this.finished = true;
			}
			this.delegate.finish();
		}

		@Override
		public void requeue() {
			this.delegate.requeue();
		}

		@Override
		public void requeue(Duration delay) {
			this.delegate.requeue(delay);
		}

		@Override
		public void requeueWithoutBackoff(Duration delay) {
			this.delegate.requeueWithoutBackoff(delay);
		}

		@Override
		public void touch() {
			this.delegate.touch();
		}

		@Override
		public void disableAutoResponse() {
			this.delegate.disableAutoResponse();
		}

		@Override
		public boolean isAutoResponseDisabled() {
			return this.delegate.isAutoResponseDisabled();
		}

		@Override
		public boolean hasResponded() {
			return this.delegate.hasResponded();
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

	@Override
	public String toString() {
		return "DefaultNsqMessageListenerContainer[id=" + this.listenerId + ", " + this.containerProperties + "]";
	}

}
