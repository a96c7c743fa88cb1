package io.github.nsqspring.boot.listener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.event.ConsumerFailedToStartEvent;
import io.github.nsqspring.boot.event.ConsumerPausedEvent;
import io.github.nsqspring.boot.event.ConsumerResumedEvent;
import io.github.nsqspring.boot.event.ConsumerStartedEvent;
import io.github.nsqspring.boot.event.ConsumerStartingEvent;
import io.github.nsqspring.boot.event.ConsumerStoppedEvent;
import io.github.nsqspring.boot.event.ConsumerStoppingEvent;
import io.github.nsqspring.boot.event.NsqEvent;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqMessage;
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
 * {@link ConsumerStoppedEvent}, {@link ConsumerPausedEvent} and
 * {@link ConsumerResumedEvent} when an event publisher is set.
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
				NsqConfig config = this.consumerFactory.getConfig()
					.toBuilder()
					.maxInFlight(this.paused ? 0 : properties.getMaxInFlight())
					.maxAttempts(properties.getMaxAttempts())
					.build();
				Executor executor = resolveExecutor(properties);
				NsqConsumer created = this.consumerFactory.createConsumer(properties.getTopic(),
						properties.getChannel(), config, (builder) -> {
							builder.handler((message) -> onMessage(listener, message));
							builder.failedMessageHandler(this::onExhausted);
							builder.concurrency(properties.getConcurrency());
							builder.shutdownTimeout(properties.getShutdownTimeout());
							if (executor != null) {
								builder.executor(executor);
							}
						});
				created.start();
				this.consumer = created;
				this.running = true;
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

	private void onMessage(NsqMessageListener listener, NsqMessage message) {
		try {
			listener.onMessage(message);
		}
		catch (Exception ex) {
			if (message.hasResponded()) {
				// the listener answered (for example requeued with its own delay) before
				// failing: its answer stands
				logger.debug(ex, () -> "Listener of '" + this.listenerId + "' failed after answering message "
						+ message.idText());
				return;
			}
			try {
				this.containerProperties.getErrorHandler().handleError(message, ex, this);
			}
			catch (RuntimeException handlerEx) {
				logger.error(handlerEx, () -> "Error handler of '" + this.listenerId + "' failed on message "
						+ message.idText() + "; requeueing it");
				if (!message.hasResponded()) {
					message.requeue();
				}
			}
		}
	}

	private void onExhausted(NsqMessage message) {
		this.containerProperties.getErrorHandler().handleExhausted(message, this);
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
				this.consumer = null;
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

	@Override
	public String toString() {
		return "DefaultNsqMessageListenerContainer[id=" + this.listenerId + ", " + this.containerProperties + "]";
	}

}
