package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageRecoverer;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

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

	private final NsqProperties properties;

	private final Duration defaultShutdownTimeout;

	private @Nullable NsqErrorHandler errorHandler;

	private @Nullable NsqMessageRecoverer recoverer;

	private boolean virtualThreads;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	private @Nullable NsqMessageInterceptor messageInterceptor;

	private @Nullable NsqMessageFilterStrategy filterStrategy;

	private List<NsqListenerConsumerCustomizer> consumerCustomizers = List.of();

	ConcurrentNsqListenerContainerFactoryConfigurer(NsqProperties properties, Duration defaultShutdownTimeout) {
		this.properties = properties;
		this.defaultShutdownTimeout = defaultShutdownTimeout;
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

	/**
	 * Configure a factory with the {@code nsq.*} properties, the application's error
	 * handler or recoverer beans, its observation registry and convention, its single
	 * {@link NsqMessageInterceptor} and {@link NsqMessageFilterStrategy} beans and its
	 * {@link NsqListenerConsumerCustomizer} beans (in order). Meters are added by
	 * {@code NsqMetricsAutoConfiguration} when there is a {@code MeterRegistry}.
	 * @param factory the factory
	 */
	public void configure(ConcurrentNsqListenerContainerFactory factory) {
		NsqProperties.Listener listener = this.properties.getListener();
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		factory.setConcurrency(consumer.getConcurrency());
		factory.setAutoStartup(listener.isAutoStartup());
		factory.setDefaultChannel(listener.getDefaultChannel());
		factory.setShutdownTimeout(
				(listener.getShutdownTimeout() != null) ? listener.getShutdownTimeout() : this.defaultShutdownTimeout);
		factory.setStartupFailurePolicy(listener.getStartupFailurePolicy());
		factory.setVirtualThreads(this.virtualThreads);
		factory.setObservationEnabled(listener.isObservationEnabled());
		factory.setObservationRegistry(this.observationRegistry);
		factory.setObservationConvention(this.observationConvention);
		factory.setIdleEventInterval(listener.getIdleEventInterval());
		factory.setMessageInterceptor(this.messageInterceptor);
		factory.setFilterStrategy(this.filterStrategy);
		this.consumerCustomizers.forEach(factory::addConsumerCustomizer);
		if (this.errorHandler != null) {
			factory.setErrorHandler(this.errorHandler);
		}
		else if (this.recoverer != null) {
			factory.setErrorHandler(new DefaultNsqErrorHandler(this.recoverer));
		}
	}

}
