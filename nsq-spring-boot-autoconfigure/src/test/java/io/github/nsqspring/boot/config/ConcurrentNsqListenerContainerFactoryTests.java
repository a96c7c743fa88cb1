package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.Map;

import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.StartupFailurePolicy;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The factory keeps one template of container properties and copies it into each
 * container; endpoint settings apply on the copy.
 */
class ConcurrentNsqListenerContainerFactoryTests {

	private final ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(
			new CapturingConsumerFactory(
					NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(20).maxAttempts(6)).build()));

	@Test
	void theTemplateStartsFromTheConsumerConfiguration() {
		NsqContainerProperties template = this.factory.getContainerProperties();
		assertThat(template.getTopic()).isEmpty();
		assertThat(template.getMaxInFlight()).isEqualTo(20);
		assertThat(template.getMaxAttempts()).isEqualTo(6);
	}

	@Test
	void everyTemplateSettingIsCopiedIntoTheContainer() {
		NsqErrorHandler errorHandler = new DefaultNsqErrorHandler();
		NsqMessageInterceptor interceptor = new NsqMessageInterceptor() {
		};
		NsqMessageFilterStrategy filter = (message) -> false;
		this.factory.setConcurrency(3);
		this.factory.setMaxInFlight(40);
		this.factory.setMaxAttempts(9);
		this.factory.setShutdownTimeout(Duration.ofSeconds(7));
		this.factory.setErrorHandler(errorHandler);
		this.factory.setMessageInterceptor(interceptor);
		this.factory.setFilterStrategy(filter);
		this.factory.setStartupFailurePolicy(StartupFailurePolicy.CONTINUE);
		this.factory.setIdleEventInterval(Duration.ofSeconds(11));
		this.factory.setObservationEnabled(true);
		this.factory.setBatchTimeout(Duration.ofMillis(250));
		this.factory.getContainerProperties().setConsumerProperties(Map.of("msg_timeout", "90s"));
		NsqContainerProperties properties = this.factory.createContainer("orders", "billing", (message) -> {
		}).getContainerProperties();
		assertThat(properties.getTopic()).isEqualTo("orders");
		assertThat(properties.getChannel()).isEqualTo("billing");
		assertThat(properties.getConcurrency()).isEqualTo(3);
		assertThat(properties.getMaxInFlight()).isEqualTo(40);
		assertThat(properties.getMaxAttempts()).isEqualTo(9);
		assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(properties.getErrorHandler()).isSameAs(errorHandler);
		assertThat(properties.getMessageInterceptor()).isSameAs(interceptor);
		assertThat(properties.getFilterStrategy()).isSameAs(filter);
		assertThat(properties.getStartupFailurePolicy()).isEqualTo(StartupFailurePolicy.CONTINUE);
		assertThat(properties.getIdleEventInterval()).isEqualTo(Duration.ofSeconds(11));
		assertThat(properties.isObservationEnabled()).isTrue();
		assertThat(properties.getBatchTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getConsumerProperties()).containsEntry("msg_timeout", "90s");
	}

	@Test
	void containersGetTheirOwnCopy() {
		this.factory.setConcurrency(2);
		DefaultNsqMessageListenerContainer first = this.factory.createContainer("orders", "a", (message) -> {
		});
		first.getContainerProperties().setConcurrency(8);
		first.getContainerProperties().setConsumerProperties(Map.of("max_attempts", "2"));
		DefaultNsqMessageListenerContainer second = this.factory.createContainer("orders", "b", (message) -> {
		});
		assertThat(second.getContainerProperties().getConcurrency()).isEqualTo(2);
		assertThat(second.getContainerProperties().getConsumerProperties()).isEmpty();
		assertThat(this.factory.getContainerProperties().getConcurrency()).isEqualTo(2);
		this.factory.setConcurrency(5);
		assertThat(first.getContainerProperties().getConcurrency()).as("created before the change").isEqualTo(8);
	}

	@Test
	void endpointSettingsApplyOnTopOfTheTemplate() {
		this.factory.setConcurrency(2);
		this.factory.setMaxAttempts(9);
		SimpleNsqListenerEndpoint endpoint = new SimpleNsqListenerEndpoint((message) -> {
		});
		endpoint.setId("billing");
		endpoint.setTopic("orders");
		endpoint.setChannel("billing");
		endpoint.setConcurrency(4);
		endpoint.setMaxAttempts(3);
		endpoint.setConsumerProperties(Map.of("msg_timeout", "2m"));
		DefaultNsqMessageListenerContainer container = this.factory.createListenerContainer(endpoint);
		NsqContainerProperties properties = container.getContainerProperties();
		assertThat(properties.getConcurrency()).isEqualTo(4);
		assertThat(properties.getMaxAttempts()).isEqualTo(3);
		assertThat(properties.getMaxInFlight()).as("from the template").isEqualTo(20);
		assertThat(properties.getConsumerProperties()).containsEntry("msg_timeout", "2m");
		assertThat(container.getConsumerConfig().consumer().getMsgTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.factory.getContainerProperties().getConcurrency()).isEqualTo(2);
		assertThat(this.factory.getContainerProperties().getMaxAttempts()).isEqualTo(9);
	}

	@Test
	void anInvalidListenerOptionFailsWhenTheContainerIsCreated() {
		SimpleNsqListenerEndpoint endpoint = new SimpleNsqListenerEndpoint((message) -> {
		});
		endpoint.setId("billing");
		endpoint.setTopic("orders");
		endpoint.setChannel("billing");
		endpoint.setConsumerProperties(Map.of("heartbeat_interval", "500ms"));
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> this.factory.createListenerContainer(endpoint))
			.withMessageContaining("Listener 'billing' (orders/billing)")
			.withMessageContaining("heartbeat_interval");
	}

	@Test
	void aContainerCannotBeMadeFromATemplate() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new DefaultNsqMessageListenerContainer(new CapturingConsumerFactory(),
					new NsqContainerProperties()));
	}

	@Test
	void secretConsumerPropertiesAreNotPrinted() {
		NsqContainerProperties properties = new NsqContainerProperties("orders", "billing");
		properties.setConsumerProperties(Map.of("auth_secret", "s3cr3t", "msg_timeout", "2m"));
		assertThat(properties.toString()).doesNotContain("s3cr3t").contains("msg_timeout=2m");
	}

}
