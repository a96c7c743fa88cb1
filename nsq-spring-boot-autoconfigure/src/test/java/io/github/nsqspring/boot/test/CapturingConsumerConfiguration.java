package io.github.nsqspring.boot.test;

import io.github.nsqspring.core.config.NsqConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link CapturingConsumerFactory} over the application's {@link NsqConfig}, in place
 * of the auto-configured consumer factory.
 */
@Configuration(proxyBeanMethods = false)
public class CapturingConsumerConfiguration {

	@Bean
	CapturingConsumerFactory capturingConsumerFactory(NsqConfig nsqConfig) {
		return new CapturingConsumerFactory(nsqConfig);
	}

}
