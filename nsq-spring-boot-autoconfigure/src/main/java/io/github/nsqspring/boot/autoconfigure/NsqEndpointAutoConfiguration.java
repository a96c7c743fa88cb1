package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpointWebExtension;
import io.github.nsqspring.core.producer.NsqProducer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code nsq} actuator endpoint ({@link NsqEndpoint}) when Spring Boot
 * Actuator is on the class path and the endpoint is available: exposed
 * ({@code management.endpoints.web.exposure.include=nsq}) and not switched off
 * ({@code management.endpoint.nsq.access=none}). It shows the containers of the
 * {@code @NsqListener} endpoint registry, then the application's own listener container
 * beans, and every {@link NsqProducer} bean. Its write operation (pause, resume) needs
 * {@code management.endpoint.nsq.access=unrestricted}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = NsqAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(NsqEndpoint.class)
public final class NsqEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NsqEndpoint nsqEndpoint(ListableBeanFactory beanFactory) {
		return new NsqEndpoint(() -> ListenerContainers.all(beanFactory),
				() -> beanFactory.getBeansOfType(NsqProducer.class, false, false));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NsqEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	NsqEndpointWebExtension nsqEndpointWebExtension(NsqEndpoint nsqEndpoint) {
		return new NsqEndpointWebExtension(nsqEndpoint);
	}

}
