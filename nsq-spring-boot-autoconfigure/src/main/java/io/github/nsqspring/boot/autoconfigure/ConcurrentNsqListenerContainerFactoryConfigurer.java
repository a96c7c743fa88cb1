package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqMessageRecoverer;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.util.LambdaSafe;
import org.springframework.core.log.LogAccessor;

/**
 * Applies what Spring Boot applies to the auto-configured
 * {@code nsqListenerContainerFactory} to a factory the application creates, so a second
 * factory with a few different settings starts from the same {@code nsq.*} properties:
 *
 * <pre class="code">
 * &#64;Bean
 * ConcurrentNsqListenerContainerFactory bulkFactory(ConcurrentNsqListenerContainerFactoryConfigurer configurer,
 *         NsqConsumerFactory consumerFactory) {
 *     ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(consumerFactory);
 *     configurer.configure(factory);
 *     factory.setMaxInFlight(500);
 *     return factory;
 * }
 * </pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConcurrentNsqListenerContainerFactoryConfigurer {

	private static final LogAccessor logger = new LogAccessor(ConcurrentNsqListenerContainerFactoryConfigurer.class);

	/** The shortest shutdown timeout derived from the phase timeout. */
	private static final Duration MIN_DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);

	private final NsqProperties properties;

	private final Duration shutdownPhaseTimeout;

	private @Nullable NsqErrorHandler errorHandler;

	private @Nullable NsqMessageRecoverer recoverer;

	private boolean virtualThreads;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	private @Nullable NsqMessageInterceptor messageInterceptor;

	private @Nullable NsqMessageFilterStrategy filterStrategy;

	private List<NsqListenerConsumerCustomizer> consumerCustomizers = List.of();

	private List<ContainerCustomizer<?>> containerCustomizers = List.of();

	/**
	 * Create a configurer.
	 * @param properties the {@code nsq.*} properties
	 * @param shutdownPhaseTimeout how long Spring waits for the listener containers' stop
	 * phase ({@code spring.lifecycle.timeout-per-shutdown-phase})
	 */
	ConcurrentNsqListenerContainerFactoryConfigurer(NsqProperties properties, Duration shutdownPhaseTimeout) {
		this.properties = properties;
		this.shutdownPhaseTimeout = shutdownPhaseTimeout;
	}

	void setErrorHandler(@Nullable NsqErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	void setRecoverer(@Nullable NsqMessageRecoverer recoverer) {
		this.recoverer = recoverer;
	}

	void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	void setMessageInterceptor(@Nullable NsqMessageInterceptor messageInterceptor) {
		this.messageInterceptor = messageInterceptor;
	}

	void setFilterStrategy(@Nullable NsqMessageFilterStrategy filterStrategy) {
		this.filterStrategy = filterStrategy;
	}

	void setConsumerCustomizers(List<NsqListenerConsumerCustomizer> consumerCustomizers) {
		this.consumerCustomizers = List.copyOf(consumerCustomizers);
	}

	void setContainerCustomizers(List<ContainerCustomizer<?>> containerCustomizers) {
		this.containerCustomizers = List.copyOf(containerCustomizers);
	}

	/**
	 * The containers' shutdown timeout: so that a stop, which may take
	 * {@link NsqMessageListenerContainer#STOP_GRACE} beyond it, ends within Spring's
	 * shutdown phase, it defaults to the phase timeout less that grace (at least 1 s); a
	 * configured one that does not fit is kept, with a warning.
	 */
	private Duration shutdownTimeout(@Nullable Duration configured) {
		Duration fitting = this.shutdownPhaseTimeout.minus(NsqMessageListenerContainer.STOP_GRACE);
		if (configured == null) {
			return (fitting.compareTo(MIN_DEFAULT_SHUTDOWN_TIMEOUT) >= 0) ? fitting : MIN_DEFAULT_SHUTDOWN_TIMEOUT;
		}
		if (configured.compareTo(fitting) > 0) {
			logger.warn(() -> "nsq.listener.shutdown-timeout (" + configured + ") plus the up to "
					+ NsqMessageListenerContainer.STOP_GRACE.toSeconds() + " s a listener container's stop may take "
					+ "beyond it exceeds spring.lifecycle.timeout-per-shutdown-phase (" + this.shutdownPhaseTimeout
					+ "): if a drain lasts that long, Spring stops waiting for it and goes on shutting down while "
					+ "listeners still run. Set spring.lifecycle.timeout-per-shutdown-phase to at least "
					+ configured.plus(NsqMessageListenerContainer.STOP_GRACE) + " or lower the shutdown timeout");
		}
		return configured;
	}

	/**
	 * Configure a factory with the {@code nsq.*} properties, the application's error
	 * handler or recoverer beans, its observation registry and convention, its single
	 * {@link NsqMessageInterceptor} and {@link NsqMessageFilterStrategy} beans, its
	 * {@link NsqListenerConsumerCustomizer} beans (in order) and its
	 * {@link ContainerCustomizer} beans (in order, each on the containers of the type it
	 * is declared for), among them the one that declares each listener's channel unless
	 * {@code nsq.admin.declare-listener-channels=false}. Meters are added by
	 * {@code NsqMetricsAutoConfiguration} when there is a {@code MeterRegistry}.
	 * @param factory the factory
	 */
	public void configure(ConcurrentNsqListenerContainerFactory factory) {
		NsqProperties.Listener listener = this.properties.getListener();
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		factory.setConcurrency(consumer.getConcurrency());
		factory.setAutoStartup(listener.isAutoStartup());
		factory.setDefaultChannel(listener.getDefaultChannel());
		factory.setShutdownTimeout(shutdownTimeout(listener.getShutdownTimeout()));
		factory.setStartupFailurePolicy(listener.getStartupFailurePolicy());
		factory.setVirtualThreads(this.virtualThreads);
		factory.setObservationEnabled(listener.isObservationEnabled());
		factory.setObservationRegistry(this.observationRegistry);
		factory.setObservationConvention(this.observationConvention);
		factory.setIdleEventInterval(listener.getIdleEventInterval());
		factory.setBatchListener(listener.getType() == NsqProperties.Listener.Type.BATCH);
		factory.setMessageInterceptor(this.messageInterceptor);
		factory.setFilterStrategy(this.filterStrategy);
		this.consumerCustomizers.forEach(factory::addConsumerCustomizer);
		this.containerCustomizers.forEach((customizer) -> factory
			.addContainerCustomizer((container) -> invokeContainerCustomizer(customizer, container)));
		if (this.errorHandler != null) {
			factory.setErrorHandler(this.errorHandler);
		}
		else if (this.recoverer != null) {
			factory.setErrorHandler(new DefaultNsqErrorHandler(this.recoverer));
		}
	}

	@SuppressWarnings("unchecked")
	private static void invokeContainerCustomizer(ContainerCustomizer<?> customizer,
			DefaultNsqMessageListenerContainer container) {
		// a customizer typed for another container class is skipped, not a
		// ClassCastException
		LambdaSafe.callback(ContainerCustomizer.class, customizer, container).invoke((c) -> c.configure(container));
	}

}
