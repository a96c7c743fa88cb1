package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.boot.metrics.MicrometerNsqTemplateMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Meters for NSQ when the application has a {@link MeterRegistry}: publish meters on
 * every {@link NsqTemplate} bean ({@link MicrometerNsqTemplateMetrics}) and per-container
 * meters on the containers of every {@link ConcurrentNsqListenerContainerFactory} bean
 * ({@link MicrometerNsqListenerMetrics}), the auto-configured ones and the application's
 * own.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = NsqAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, NsqTemplate.class })
@ConditionalOnBean(MeterRegistry.class)
public final class NsqMetricsAutoConfiguration {

	@Bean
	static NsqMetricsBeanPostProcessor nsqMetricsBeanPostProcessor(ObjectProvider<MeterRegistry> meterRegistry) {
		return new NsqMetricsBeanPostProcessor(meterRegistry);
	}

	/**
	 * Adds the meter registry to templates and container factories as they are created.
	 */
	static final class NsqMetricsBeanPostProcessor implements BeanPostProcessor {

		private final ObjectProvider<MeterRegistry> meterRegistry;

		NsqMetricsBeanPostProcessor(ObjectProvider<MeterRegistry> meterRegistry) {
			this.meterRegistry = meterRegistry;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof NsqTemplate template) {
				this.meterRegistry
					.ifUnique((registry) -> template.setMetrics(new MicrometerNsqTemplateMetrics(registry)));
			}
			else if (bean instanceof ConcurrentNsqListenerContainerFactory factory) {
				this.meterRegistry
					.ifUnique((registry) -> factory.setListenerMetrics(MicrometerNsqListenerMetrics.factory(registry)));
			}
			return bean;
		}

	}

}
