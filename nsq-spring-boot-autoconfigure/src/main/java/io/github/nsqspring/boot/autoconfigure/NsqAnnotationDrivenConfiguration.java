package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.boot.annotation.EnableNsq;
import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.config.NsqAnnotationSupportBeanNames;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.listener.DeadLetterPublishingRecoverer;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageRecoverer;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code @NsqListener} support: the container factory and, unless the application set it
 * up itself, {@link EnableNsq}.
 *
 * @author nsq-spring
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(EnableNsq.class)
class NsqAnnotationDrivenConfiguration {

	/** Spring Boot's default of spring.lifecycle.timeout-per-shutdown-phase. */
	private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private final NsqProperties properties;

	NsqAnnotationDrivenConfiguration(NsqProperties properties) {
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	ConcurrentNsqListenerContainerFactoryConfigurer nsqListenerContainerFactoryConfigurer(Environment environment,
			ObjectProvider<NsqErrorHandler> errorHandler, ObjectProvider<NsqMessageRecoverer> recoverer,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NsqListenerObservationConvention> observationConvention,
			ObjectProvider<NsqMessageInterceptor> messageInterceptor,
			ObjectProvider<NsqMessageFilterStrategy> filterStrategy,
			ObjectProvider<NsqListenerConsumerCustomizer> consumerCustomizers,
			ObjectProvider<ContainerCustomizer<?>> containerCustomizers) {
		// drains must end within the lifecycle phase timeout, else the context stops
		// waiting for them: the shutdown timeout is derived from it
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
		ConcurrentNsqListenerContainerFactoryConfigurer configurer = new ConcurrentNsqListenerContainerFactoryConfigurer(
				this.properties, phaseTimeout);
		configurer.setErrorHandler(errorHandler.getIfUnique());
		configurer.setRecoverer(recoverer.getIfUnique());
		configurer.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		configurer.setObservationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
		configurer.setObservationConvention(observationConvention.getIfUnique());
		configurer.setMessageInterceptor(messageInterceptor.getIfUnique());
		configurer.setFilterStrategy(filterStrategy.getIfUnique());
		configurer.setConsumerCustomizers(consumerCustomizers.orderedStream().toList());
		configurer.setContainerCustomizers(containerCustomizers.orderedStream().toList());
		return configurer;
	}

	@Bean
	@ConditionalOnMissingBean(name = NsqAnnotationSupportBeanNames.DEFAULT_NSQ_LISTENER_CONTAINER_FACTORY_BEAN_NAME)
	ConcurrentNsqListenerContainerFactory nsqListenerContainerFactory(
			ConcurrentNsqListenerContainerFactoryConfigurer configurer, NsqConsumerFactory nsqConsumerFactory,
			ObjectProvider<NsqContainerFactoryCustomizer> factoryCustomizers) {
		ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(nsqConsumerFactory);
		configurer.configure(factory);
		factoryCustomizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean(NsqMessageRecoverer.class)
	@ConditionalOnBooleanProperty("nsq.listener.dead-letter.enabled")
	DeadLetterPublishingRecoverer nsqDeadLetterPublishingRecoverer(NsqOperations nsqOperations) {
		// through the template: dead letters are observed, metered and enveloped as
		// every other send
		return new DeadLetterPublishingRecoverer(nsqOperations,
				this.properties.getListener().getDeadLetter().getSuffix());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableNsq
	@ConditionalOnMissingBean(name = NsqAnnotationSupportBeanNames.NSQ_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
	static class EnableNsqConfiguration {

	}

}
