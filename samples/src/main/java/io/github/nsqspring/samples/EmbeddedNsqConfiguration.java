package io.github.nsqspring.samples;

import java.util.List;

import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Runs the sample without NSQ installed: when no {@code nsq.*} address is configured,
 * start nsq-test's in-JVM nsqd and nsqlookupd (for tests and local development only) and
 * point the application at them through an {@link NsqConnectionDetails} bean, which the
 * auto-configuration prefers over the {@code nsq.*} properties. With real addresses
 * configured, this configuration stays off and the app talks to real NSQ.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedNsqConfiguration.NoNsqAddressCondition.class)
class EmbeddedNsqConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedNsqConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedNsqCluster embeddedNsqCluster() {
		EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, true);
		logger.info("No nsq.* address configured: started an embedded nsqd at " + cluster.nsqdTcpAddress(0)
				+ " and nsqlookupd at " + cluster.lookupdHttpAddress() + " (local development only)");
		return cluster;
	}

	@Bean
	NsqConnectionDetails embeddedNsqConnectionDetails(EmbeddedNsqCluster cluster) {
		return new NsqConnectionDetails() {

			@Override
			public List<String> getNsqdAddresses() {
				return cluster.nsqdTcpAddresses();
			}

			@Override
			public List<String> getNsqdHttpAddresses() {
				return cluster.nsqdHttpAddresses();
			}

			@Override
			public List<String> getLookupdAddresses() {
				return List.of(cluster.lookupdHttpAddress());
			}

		};
	}

	/**
	 * {@code sample.embedded=true}, or {@code auto} with neither
	 * {@code nsq.nsqd.addresses} nor {@code nsq.lookupd.addresses} set.
	 */
	static class NoNsqAddressCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			String mode = binder.bind("sample.embedded", String.class).orElse("auto");
			if (!"auto".equals(mode)) {
				return Boolean.parseBoolean(mode) ? ConditionOutcome.match("sample.embedded=true")
						: ConditionOutcome.noMatch("sample.embedded=false");
			}
			boolean configured = binder.bind("nsq.nsqd.addresses", Bindable.listOf(String.class)).isBound()
					|| binder.bind("nsq.lookupd.addresses", Bindable.listOf(String.class)).isBound();
			return configured ? ConditionOutcome.noMatch("nsq addresses are configured")
					: ConditionOutcome.match("no nsq address configured");
		}

	}

}
