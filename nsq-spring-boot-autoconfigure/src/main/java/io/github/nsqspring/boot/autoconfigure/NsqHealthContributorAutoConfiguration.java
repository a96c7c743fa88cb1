package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.boot.health.NsqHealthIndicator;
import io.github.nsqspring.core.config.NsqConfig;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link NsqHealthIndicator} when Spring Boot's health support is present, with
 * the state of the listener containers as details (those of {@code @NsqListener} methods,
 * then container beans, as the {@code nsq} endpoint lists them); turn it off with
 * {@code management.health.nsq.enabled=false}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@AutoConfiguration(after = NsqAutoConfiguration.class)
@ConditionalOnClass({ NsqHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(NsqConnectionDetails.class)
@ConditionalOnEnabledHealthIndicator("nsq")
public final class NsqHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "nsqHealthIndicator", "nsqHealthContributor" })
	NsqHealthIndicator nsqHealthIndicator(NsqConnectionDetails connectionDetails, NsqProperties properties,
			ObjectProvider<NsqConfig> nsqConfig, ListableBeanFactory beanFactory) {
		NsqHealthIndicator indicator = new NsqHealthIndicator(connectionDetails.getNsqdHttpAddresses(),
				connectionDetails.getLookupdAddresses(),
				properties.getClient().getDialTimeout().plus(Duration.ofSeconds(1)),
				nsqConfig.getIfAvailable(NsqConfig::defaults));
		indicator.setListenerContainers(() -> ListenerContainers.all(beanFactory));
		return indicator;
	}

}
