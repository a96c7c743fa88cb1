package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.boot.health.NsqHealthIndicator;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
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
					cluster.startNode(0);
					assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
				});
		}
	}

	@Test
	void withOnlyLookupdPingsTheNsqdItListsAndIsDownWhenNoneIsListedOrReachable() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, true)) {
			this.contextRunner.withPropertyValues("nsq.lookupd.addresses=" + cluster.lookupdHttpAddress())
				.run((context) -> {
					NsqHealthIndicator indicator = context.getBean(NsqHealthIndicator.class);
					await().untilAsserted(() -> {
						Health up = indicator.health(true);
						assertThat(up.getStatus()).isEqualTo(Status.UP);
						assertThat(up.getDetails()).containsEntry("nsqd", Map.of(cluster.nsqdHttpAddress(0), "OK"));
					});
					cluster.stopNode(0);
					await().untilAsserted(() -> assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN));
					cluster.startNode(0);
					await().untilAsserted(() -> assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP));
					cluster.lookupd().stop();
					Health down = indicator.health(true);
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					assertThat((String) down.getDetails().get("reason"))
						.startsWith("cannot list nsqd through nsqlookupd");
				});
		}
	}

	@Test
	void reportsListenerContainerStateAsDetails() {
		NsqMessageListenerContainer container = mock(NsqMessageListenerContainer.class);
		given(container.getListenerId()).willReturn("orders");
		given(container.isRunning()).willReturn(true);
		given(container.isPaused()).willReturn(true);
		given(container.getContainerProperties()).willReturn(new NsqContainerProperties("orders", "billing"));
		given(container.getStats()).willReturn(new ConsumerStats(0, 0, 0, 0, 2, 1, 0, 0));
		NsqHealthIndicator indicator = new NsqHealthIndicator(List.of(), List.of(), Duration.ofSeconds(1));
		indicator.setListenerContainers(() -> List.of(container));
		Health health = indicator.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("listeners", Map.of("orders",
				Map.of("state", "paused", "topic", "orders", "channel", "billing", "connections", 1, "inFlight", 2L)));
	}

	@Test
	void listsListenerContainerBeansBesideTheRegistrysAsTheEndpointDoes() {
		NsqMessageListenerContainer container = mock(NsqMessageListenerContainer.class);
		given(container.getListenerId()).willReturn("fromBean");
		given(container.getContainerProperties()).willReturn(new NsqContainerProperties("audit", "archive"));
		given(container.getStats()).willReturn(new ConsumerStats(0, 0, 0, 0, 0, 1, 0, 0));
		this.contextRunner.withBean("fromBean", NsqMessageListenerContainer.class, () -> container)
			.run((context) -> assertThat(context.getBean(NsqHealthIndicator.class).health(true).getDetails())
				.extractingByKey("listeners")
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsOnlyKeys("fromBean"));
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
