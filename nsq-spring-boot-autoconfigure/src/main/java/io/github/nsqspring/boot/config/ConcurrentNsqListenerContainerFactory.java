package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
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
 * {@code concurrency} listener calls at once. Settings come, in increasing precedence,
 * from the consumer factory's configuration (max in flight, max attempts), this factory,
 * and the endpoint ({@code @NsqListener} attributes); then the
 * {@link ContainerCustomizer}s run.
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

	private final List<ContainerCustomizer<? super DefaultNsqMessageListenerContainer>> containerCustomizers = new ArrayList<>();

	private @Nullable Integer concurrency;

	private @Nullable Integer maxInFlight;

	private @Nullable Integer maxAttempts;

	private @Nullable Boolean autoStartup;

	private @Nullable Integer phase;

	private @Nullable String defaultChannel;

	private @Nullable Duration shutdownTimeout;

	private @Nullable NsqErrorHandler errorHandler;

	private @Nullable Executor executor;

	private boolean virtualThreads;

	private StartupFailurePolicy startupFailurePolicy = StartupFailurePolicy.STOP;

	private @Nullable ApplicationEventPublisher applicationEventPublisher;

	private boolean observationEnabled;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	private NsqListenerMetrics.@Nullable Factory listenerMetrics;

	private @Nullable Duration idleEventInterval;

	/**
	 * Create a factory.
	 * @param consumerFactory creates the consumers
	 */
	public ConcurrentNsqListenerContainerFactory(NsqConsumerFactory consumerFactory) {
		Assert.notNull(consumerFactory, "'consumerFactory' must not be null");
		this.consumerFactory = consumerFactory;
	}

	public NsqConsumerFactory getConsumerFactory() {
		return this.consumerFactory;
	}

	/**
	 * Listener calls that may run at once per container (default 1).
	 * @param concurrency at least 1
	 */
	public void setConcurrency(Integer concurrency) {
		this.concurrency = concurrency;
	}

	/**
	 * Messages held at once per container (default: the consumer configuration's).
	 * @param maxInFlight at least 1
	 */
	public void setMaxInFlight(Integer maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	/**
	 * Deliveries before recovery (default: the consumer configuration's).
	 * @param maxAttempts 0 (no limit) to 65535
	 */
	public void setMaxAttempts(Integer maxAttempts) {
		this.maxAttempts = maxAttempts;
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
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * The error handler of every container (default: a {@link DefaultNsqErrorHandler}
	 * logging the messages it gives up on).
	 * @param errorHandler the error handler
	 */
	public void setErrorHandler(NsqErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * The executor of listener calls, shared by every container (default: each consumer's
	 * own threads).
	 * @param executor the executor
	 */
	public void setExecutor(@Nullable Executor executor) {
		this.executor = executor;
	}

	/**
	 * Whether listener calls run on virtual threads (Java 21+) when no executor is set.
	 * @param virtualThreads the flag
	 */
	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/**
	 * What a container does when it cannot start (default
	 * {@link StartupFailurePolicy#STOP}).
	 * @param startupFailurePolicy the policy
	 */
	public void setStartupFailurePolicy(StartupFailurePolicy startupFailurePolicy) {
		this.startupFailurePolicy = startupFailurePolicy;
	}

	/**
	 * Whether containers observe deliveries (default false).
	 * @param observationEnabled the flag
	 * @see NsqContainerProperties#setObservationEnabled(boolean)
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	/**
	 * The registry of delivery observations (default {@link ObservationRegistry#NOOP}).
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * A convention replacing the default one of delivery observations.
	 * @param observationConvention the convention, or {@code null}
	 */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Creates the metrics of each container (default none).
	 * @param listenerMetrics the factory, or {@code null}
	 * @see NsqContainerProperties#setListenerMetrics
	 */
	public void setListenerMetrics(NsqListenerMetrics.@Nullable Factory listenerMetrics) {
		this.listenerMetrics = listenerMetrics;
	}

	/**
	 * Publish idle events after this long without messages (default none).
	 * @param idleEventInterval the interval, or {@code null}
	 */
	public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
		this.idleEventInterval = idleEventInterval;
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
				channel);
		applyFactorySettings(properties);
		if (endpoint.getConcurrency() != null) {
			properties.setConcurrency(endpoint.getConcurrency());
		}
		if (endpoint.getMaxInFlight() != null) {
			properties.setMaxInFlight(endpoint.getMaxInFlight());
		}
		if (endpoint.getMaxAttempts() != null) {
			properties.setMaxAttempts(endpoint.getMaxAttempts());
		}
		properties.setMessageListener(endpoint.createMessageListener(properties));
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
		NsqContainerProperties properties = new NsqContainerProperties(topic, channel);
		applyFactorySettings(properties);
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

	private void applyFactorySettings(NsqContainerProperties properties) {
		properties.setMaxInFlight((this.maxInFlight != null) ? this.maxInFlight
				: Math.max(1, this.consumerFactory.getConfig().getMaxInFlight()));
		properties.setMaxAttempts(
				(this.maxAttempts != null) ? this.maxAttempts : this.consumerFactory.getConfig().getMaxAttempts());
		if (this.concurrency != null) {
			properties.setConcurrency(this.concurrency);
		}
		if (this.shutdownTimeout != null) {
			properties.setShutdownTimeout(this.shutdownTimeout);
		}
		properties.setErrorHandler((this.errorHandler != null) ? this.errorHandler : new DefaultNsqErrorHandler());
		properties.setExecutor(this.executor);
		properties.setVirtualThreads(this.virtualThreads);
		properties.setStartupFailurePolicy(this.startupFailurePolicy);
		properties.setObservationEnabled(this.observationEnabled);
		properties.setObservationRegistry(this.observationRegistry);
		properties.setObservationConvention(this.observationConvention);
		properties.setListenerMetrics(this.listenerMetrics);
		properties.setIdleEventInterval(this.idleEventInterval);
	}

}
