package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.StartupFailurePolicy;
import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.github.nsqspring.core.protocol.NsqNames;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Creates {@link DefaultNsqMessageListenerContainer}s whose consumer runs up to
 * {@code concurrency} listener calls at once.
 * <p>
 * The factory keeps one template {@link NsqContainerProperties}
 * ({@link #getContainerProperties()}; the setters of this class write to it) and copies
 * it into each container it creates; the endpoint's settings ({@code @NsqListener}
 * attributes) are then applied to the copy, and the {@link ContainerCustomizer}s run
 * last. The template starts with the consumer factory's max in flight and max attempts
 * ({@code nsq.consumer.*}).
 * <p>
 * Consumer options of a container, highest precedence first: the endpoint's consumer
 * properties and its {@code maxInFlight}/{@code maxAttempts}
 * ({@code @NsqListener(properties = ...)}), the {@linkplain #addConsumerCustomizer
 * listener-aware customizers}, this factory's max in flight and max attempts, the
 * consumer factory's configuration. The result is checked when the container is created:
 * an invalid option fails with a message naming the listener and the option.
 * <p>
 * Channels are never generated (on nsqd a channel is durable, and a name that changed at
 * each start would leave a growing backlog behind): an endpoint without a channel gets
 * the {@linkplain #setDefaultChannel(String) default channel}, and fails without one.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConcurrentNsqListenerContainerFactory
		implements NsqListenerContainerFactory<DefaultNsqMessageListenerContainer>, ApplicationEventPublisherAware {

	private final NsqConsumerFactory consumerFactory;

	private final NsqContainerProperties containerProperties = new NsqContainerProperties();

	private final List<ContainerCustomizer<? super DefaultNsqMessageListenerContainer>> containerCustomizers = new ArrayList<>();

	private @Nullable Boolean autoStartup;

	private @Nullable Integer phase;

	private @Nullable String defaultChannel;

	private @Nullable ApplicationEventPublisher applicationEventPublisher;

	/**
	 * Create a factory.
	 * @param consumerFactory creates the consumers
	 */
	public ConcurrentNsqListenerContainerFactory(NsqConsumerFactory consumerFactory) {
		Assert.notNull(consumerFactory, "'consumerFactory' must not be null");
		this.consumerFactory = consumerFactory;
		this.containerProperties.setMaxInFlight(Math.max(1, consumerFactory.getConfig().consumer().getMaxInFlight()));
		this.containerProperties.setMaxAttempts(consumerFactory.getConfig().consumer().getMaxAttempts());
	}

	public NsqConsumerFactory getConsumerFactory() {
		return this.consumerFactory;
	}

	/**
	 * The template copied into every container this factory creates; change it to change
	 * the containers created afterwards (those already created keep their copy).
	 * @return the template, without topic and channel
	 */
	public NsqContainerProperties getContainerProperties() {
		return this.containerProperties;
	}

	/**
	 * Listener calls that may run at once per container (default 1).
	 * @param concurrency at least 1
	 * @see NsqContainerProperties#setConcurrency(int)
	 */
	public void setConcurrency(Integer concurrency) {
		this.containerProperties.setConcurrency(concurrency);
	}

	/**
	 * Messages held at once per container (default: the consumer configuration's).
	 * @param maxInFlight at least 1
	 */
	public void setMaxInFlight(Integer maxInFlight) {
		this.containerProperties.setMaxInFlight(maxInFlight);
	}

	/**
	 * Deliveries before recovery (default: the consumer configuration's).
	 * @param maxAttempts 0 (no limit) to 65535
	 */
	public void setMaxAttempts(Integer maxAttempts) {
		this.containerProperties.setMaxAttempts(maxAttempts);
	}

	/**
	 * Whether containers start with the context (default true).
	 * @param autoStartup the flag
	 */
	public void setAutoStartup(Boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Lifecycle phase of the containers (default
	 * {@link NsqMessageListenerContainer#DEFAULT_PHASE}).
	 * @param phase the phase
	 */
	public void setPhase(Integer phase) {
		this.phase = phase;
	}

	/**
	 * Channel of endpoints that name none.
	 * @param defaultChannel a valid channel name, or {@code null}
	 */
	public void setDefaultChannel(@Nullable String defaultChannel) {
		this.defaultChannel = StringUtils.hasText(defaultChannel) ? NsqNames.requireValidChannel(defaultChannel) : null;
	}

	public @Nullable String getDefaultChannel() {
		return this.defaultChannel;
	}

	/**
	 * Longest wait for in-flight messages when a container stops (default 30s).
	 * @param shutdownTimeout the timeout
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.containerProperties.setShutdownTimeout(shutdownTimeout);
	}

	/**
	 * The error handler of every container (default: a {@link DefaultNsqErrorHandler}
	 * logging the messages it gives up on).
	 * @param errorHandler the error handler
	 */
	public void setErrorHandler(NsqErrorHandler errorHandler) {
		this.containerProperties.setErrorHandler(errorHandler);
	}

	/**
	 * The interceptor of every container (default none).
	 * @param messageInterceptor the interceptor, or {@code null}
	 * @see NsqContainerProperties#setMessageInterceptor
	 */
	public void setMessageInterceptor(@Nullable NsqMessageInterceptor messageInterceptor) {
		this.containerProperties.setMessageInterceptor(messageInterceptor);
	}

	/**
	 * The filter of every container (default none); an endpoint's own filter
	 * ({@code @NsqListener(filter = ...)}) replaces it.
	 * @param filterStrategy the filter, or {@code null}
	 * @see NsqContainerProperties#setFilterStrategy
	 */
	public void setFilterStrategy(@Nullable NsqMessageFilterStrategy filterStrategy) {
		this.containerProperties.setFilterStrategy(filterStrategy);
	}

	/**
	 * Whether endpoints that do not say take batches (default false).
	 * @param batchListener {@code true} for batch listeners
	 */
	public void setBatchListener(boolean batchListener) {
		this.containerProperties.setBatchListener(batchListener);
	}

	/**
	 * The most messages per batch (default: each container's max in flight).
	 * @param batchSize at least 1, or {@code null}
	 * @see NsqContainerProperties#setBatchSize
	 */
	public void setBatchSize(@Nullable Integer batchSize) {
		this.containerProperties.setBatchSize(batchSize);
	}

	/**
	 * Longest wait for a batch to fill (default 500ms).
	 * @param batchTimeout a positive duration
	 * @see NsqContainerProperties#setBatchTimeout
	 */
	public void setBatchTimeout(Duration batchTimeout) {
		this.containerProperties.setBatchTimeout(batchTimeout);
	}

	/**
	 * Add a listener-aware customizer of every container's consumer.
	 * @param customizer the customizer
	 * @see NsqListenerConsumerCustomizer
	 */
	public void addConsumerCustomizer(NsqListenerConsumerCustomizer customizer) {
		this.containerProperties.addConsumerCustomizer(customizer);
	}

	/**
	 * The executor of listener calls, shared by every container (default: each consumer's
	 * own threads).
	 * @param executor the executor
	 */
	public void setExecutor(@Nullable Executor executor) {
		this.containerProperties.setExecutor(executor);
	}

	/**
	 * Whether listener calls run on virtual threads (Java 21+) when no executor is set.
	 * @param virtualThreads the flag
	 */
	public void setVirtualThreads(boolean virtualThreads) {
		this.containerProperties.setVirtualThreads(virtualThreads);
	}

	/**
	 * What a container does when it cannot start (default
	 * {@link StartupFailurePolicy#STOP}).
	 * @param startupFailurePolicy the policy
	 */
	public void setStartupFailurePolicy(StartupFailurePolicy startupFailurePolicy) {
		this.containerProperties.setStartupFailurePolicy(startupFailurePolicy);
	}

	/**
	 * Whether containers observe deliveries (default false).
	 * @param observationEnabled the flag
	 * @see NsqContainerProperties#setObservationEnabled(boolean)
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.containerProperties.setObservationEnabled(observationEnabled);
	}

	/**
	 * The registry of delivery observations (default {@link ObservationRegistry#NOOP}).
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.containerProperties.setObservationRegistry(observationRegistry);
	}

	/**
	 * A convention replacing the default one of delivery observations.
	 * @param observationConvention the convention, or {@code null}
	 */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.containerProperties.setObservationConvention(observationConvention);
	}

	/**
	 * Creates the metrics of each container (default none).
	 * @param listenerMetrics the factory, or {@code null}
	 * @see NsqContainerProperties#setListenerMetrics
	 */
	public void setListenerMetrics(NsqListenerMetrics.@Nullable Factory listenerMetrics) {
		this.containerProperties.setListenerMetrics(listenerMetrics);
	}

	/**
	 * Publish idle events after this long without messages (default none).
	 * @param idleEventInterval the interval, or {@code null}
	 */
	public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
		this.containerProperties.setIdleEventInterval(idleEventInterval);
	}

	/**
	 * Add a customizer of every container created.
	 * @param containerCustomizer the customizer
	 */
	public void addContainerCustomizer(
			ContainerCustomizer<? super DefaultNsqMessageListenerContainer> containerCustomizer) {
		this.containerCustomizers.add(containerCustomizer);
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.applicationEventPublisher = applicationEventPublisher;
	}

	@Override
	public DefaultNsqMessageListenerContainer createListenerContainer(NsqListenerEndpoint endpoint) {
		String channel = resolveChannel(endpoint);
		NsqContainerProperties properties = new NsqContainerProperties(NsqNames.requireValidTopic(endpoint.getTopic()),
				channel, this.containerProperties);
		if (endpoint.getConcurrency() != null) {
			properties.setConcurrency(endpoint.getConcurrency());
		}
		// the listener's own options outrank the customizers: they go with its properties
		Map<String, String> consumerProperties = new LinkedHashMap<>(endpoint.getConsumerProperties());
		if (endpoint.getMaxInFlight() != null) {
			consumerProperties.put("max_in_flight", String.valueOf(endpoint.getMaxInFlight()));
		}
		if (endpoint.getMaxAttempts() != null) {
			consumerProperties.put("max_attempts", String.valueOf(endpoint.getMaxAttempts()));
		}
		properties.setConsumerProperties(consumerProperties);
		if (endpoint.getFilterStrategy() != null) {
			properties.setFilterStrategy(endpoint.getFilterStrategy());
		}
		Boolean batch = endpoint.getBatchListener();
		if ((batch != null) ? batch : this.containerProperties.isBatchListener()) {
			if (endpoint.getBatchSize() != null) {
				properties.setBatchSize(endpoint.getBatchSize());
			}
			if (endpoint.getBatchTimeout() != null) {
				properties.setBatchTimeout(endpoint.getBatchTimeout());
			}
			properties.setBatchMessageListener(endpoint.createBatchMessageListener(properties));
		}
		else {
			properties.setMessageListener(endpoint.createMessageListener(properties));
		}
		DefaultNsqMessageListenerContainer container = new DefaultNsqMessageListenerContainer(this.consumerFactory,
				properties);
		if (StringUtils.hasText(endpoint.getId())) {
			container.setListenerId(endpoint.getId());
		}
		Boolean endpointAutoStartup = endpoint.getAutoStartup();
		if (endpointAutoStartup != null) {
			container.setAutoStartup(endpointAutoStartup);
		}
		else if (this.autoStartup != null) {
			container.setAutoStartup(this.autoStartup);
		}
		return finish(container);
	}

	@Override
	public DefaultNsqMessageListenerContainer createContainer(String topic, String channel,
			NsqMessageListener listener) {
		NsqContainerProperties properties = new NsqContainerProperties(topic, channel, this.containerProperties);
		properties.setMessageListener(listener);
		DefaultNsqMessageListenerContainer container = new DefaultNsqMessageListenerContainer(this.consumerFactory,
				properties);
		if (this.autoStartup != null) {
			container.setAutoStartup(this.autoStartup);
		}
		return finish(container);
	}

	private DefaultNsqMessageListenerContainer finish(DefaultNsqMessageListenerContainer container) {
		if (this.phase != null) {
			container.setPhase(this.phase);
		}
		if (this.applicationEventPublisher != null) {
			container.setApplicationEventPublisher(this.applicationEventPublisher);
		}
		this.containerCustomizers.forEach((customizer) -> customizer.configure(container));
		// a bad per-listener option fails here, at startup, even if the container does
		// not start with the application
		container.checkConsumerConfiguration();
		return container;
	}

	private String resolveChannel(NsqListenerEndpoint endpoint) {
		String channel = endpoint.getChannel();
		if (StringUtils.hasText(channel)) {
			return NsqNames.requireValidChannel(channel);
		}
		if (this.defaultChannel != null) {
			return this.defaultChannel;
		}
		throw new IllegalStateException("Listener '" + endpoint.getId() + "' on topic '" + endpoint.getTopic()
				+ "' has no channel: set @NsqListener(channel = ...) or 'nsq.listener.default-channel'. "
				+ "Channel names are never generated, because nsqd keeps every channel and its backlog");
	}

}
