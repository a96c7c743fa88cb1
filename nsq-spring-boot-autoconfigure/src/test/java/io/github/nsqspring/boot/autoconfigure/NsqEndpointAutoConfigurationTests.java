package io.github.nsqspring.boot.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ListenerDescriptor;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ListenerState;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.NsqDescriptor;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ProducerNodeDescriptor;
import io.github.nsqspring.boot.actuate.endpoint.NsqEndpointWebExtension;
import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.ProducerNodeStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * When the {@code nsq} endpoint is registered, and what it is built from. Nothing here
 * connects: producers connect on their first publish, listeners do not start.
 */
class NsqEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqEndpointAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd.addresses=127.0.0.1:4150", "nsq.listener.auto-startup=false");

	@Test
	void absentWhileNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(NsqEndpoint.class)
			.doesNotHaveBean(NsqEndpointWebExtension.class));
	}

	@Test
	void presentWithItsWebExtensionWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nsq")
			.run((context) -> assertThat(context).hasSingleBean(NsqEndpoint.class)
				.hasSingleBean(NsqEndpointWebExtension.class));
	}

	@Test
	void presentWithoutTheWebExtensionWhenExposedOverJmxOnly() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=nsq")
			.run((context) -> assertThat(context).hasSingleBean(NsqEndpoint.class)
				.doesNotHaveBean(NsqEndpointWebExtension.class));
	}

	@Test
	void absentWhenItsAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoint.nsq.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(NsqEndpoint.class));
	}

	@Test
	void absentWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nsq")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqEndpoint.class));
	}

	@Test
	void backsOffForTheApplicationsOwnEndpoint() {
		NsqEndpoint own = new NsqEndpoint(List::of, Map::of);
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nsq")
			.withBean("ownNsqEndpoint", NsqEndpoint.class, () -> own)
			.run((context) -> assertThat(context).getBean(NsqEndpoint.class).isSameAs(own));
	}

	@Test
	void showsListenerContainersOfTheRegistryThenContainerBeansAndEveryProducerBean() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=nsq")
			.withUserConfiguration(Listeners.class)
			.run((context) -> {
				NsqDescriptor view = context.getBean(NsqEndpoint.class).nsq();
				assertThat(view.listeners()).containsOnlyKeys("annotated", "fromBean");
				assertThat(view.listeners().keySet()).first().isEqualTo("annotated");
				ListenerDescriptor annotated = view.listeners().get("annotated");
				assertThat(annotated.topic()).isEqualTo("ep-orders");
				assertThat(annotated.channel()).isEqualTo("billing");
				// not started: no consumer, so no counts and no connections
				assertThat(annotated.state()).isEqualTo(ListenerState.STOPPED);
				assertThat(annotated.received()).isNull();
				assertThat(annotated.connections()).isEmpty();
				assertThat(view.listeners().get("fromBean").topic()).isEqualTo("ep-audit");
				assertThat(view.producers()).containsOnlyKeys("ordersProducer", "auditProducer");
				assertThat(view.producers().get("ordersProducer").nodes())
					.extracting(ProducerNodeDescriptor::nsqd, ProducerNodeDescriptor::state)
					.containsExactly(tuple("127.0.0.1:4150", ProducerNodeStats.State.NOT_CONNECTED));
				assertThat(view.producers().get("auditProducer").nodes()).extracting(ProducerNodeDescriptor::nsqd)
					.containsExactly("127.0.0.1:4151");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Annotated annotated() {
			return new Annotated();
		}

		@Bean
		NsqMessageListenerContainer fromBean() {
			NsqMessageListenerContainer container = mock(NsqMessageListenerContainer.class);
			given(container.getListenerId()).willReturn("fromBean");
			given(container.getContainerProperties()).willReturn(new NsqContainerProperties("ep-audit", "audit"));
			return container;
		}

		@Bean(destroyMethod = "close")
		@Primary
		NsqProducer ordersProducer() {
			return NsqProducer.builder().nsqd("127.0.0.1:4150").build();
		}

		@Bean(destroyMethod = "close")
		NsqProducer auditProducer() {
			return NsqProducer.builder().nsqd("127.0.0.1:4151").build();
		}

	}

	static class Annotated {

		@NsqListener(id = "annotated", topic = "ep-orders", channel = "billing")
		void receive(String body) {
		}

	}

}
