package io.github.nsqspring.boot.autoconfigure;

import java.util.Map;

import io.github.nsqspring.boot.health.NsqHealthIndicator;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class NsqHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(NsqAutoConfiguration.class, NsqHealthContributorAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class));

	@Test
	void upWhileNsqdAnswersPingAndDownWhenItStops() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, true)) {
			this.contextRunner
				.withPropertyValues("nsq.nsqd.http-addresses=" + cluster.nsqdHttpAddress(0),
						"nsq.lookupd.addresses=" + cluster.lookupdHttpAddress())
				.run((context) -> {
					NsqHealthIndicator indicator = context.getBean(NsqHealthIndicator.class);
					Health up = indicator.health(true);
					assertThat(up.getStatus()).isEqualTo(Status.UP);
					assertThat(up.getDetails()).containsEntry("nsqd", Map.of(cluster.nsqdHttpAddress(0), "OK"))
						.containsEntry("nsqlookupd", Map.of(cluster.lookupdHttpAddress(), "OK"));
					cluster.stopNode(0);
					assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
				});
		}
	}

	@Test
	void unknownWithoutNsqdHttpAddress() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(NsqHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.UNKNOWN));
	}

	@Test
	void canBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.nsq.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NsqHealthIndicator.class));
	}

}
