package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.listener.DeadLetterPublishingRecoverer;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.boot.observation.NsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.NsqMessageSenderContext;
import io.github.nsqspring.boot.observation.NsqTemplateObservationConvention;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * How the auto-configuration wires envelope, observation, metrics and idle events.
 */
class NsqObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class))
		.withBean(NsqProducer.class, NsqObservabilityAutoConfigurationTests::producer);

	private static NsqProducer producer() {
		NsqProducer producer = mock(NsqProducer.class);
		given(producer.publishAsync(anyString(), any())).willAnswer((invocation) -> CompletableFuture
			.completedFuture(new PublishResult("127.0.0.1:4150", invocation.getArgument(0), 1)));
		given(producer.publish(anyString(), any()))
			.willAnswer((invocation) -> new PublishResult("127.0.0.1:4150", invocation.getArgument(0), 1));
		return producer;
	}

	private static NsqContainerProperties containerProperties(AssertableApplicationContext context) {
		DefaultNsqMessageListenerContainer container = context.getBean(ConcurrentNsqListenerContainerFactory.class)
			.createContainer("orders", "billing", (message) -> {
			});
		return container.getContainerProperties();
	}

	@Nested
	class Defaults {

		@Test
		void everythingIsOff() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withBean(ObservationRegistry.class, TestObservationRegistry::create)
				.run((context) -> {
					assertThat(context).doesNotHaveBean(NsqMetricsAutoConfiguration.class);
					NsqTemplate template = context.getBean(NsqTemplate.class);
					assertThat(template.isEnvelopeEnabled()).isFalse();
					template.send("orders", "x");
					assertThat(context.getBean(TestObservationRegistry.class)).doesNotHaveAnyObservation();
					NsqContainerProperties properties = containerProperties(context);
					assertThat(properties.isObservationEnabled()).isFalse();
					assertThat(properties.getListenerMetrics()).isNull();
					assertThat(properties.getIdleEventInterval()).isNull();
				});
		}

	}

	@Nested
	class Observation {

		@Test
		void templateAndListenerObservationsAreEnabledByProperties() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withBean(ObservationRegistry.class, TestObservationRegistry::create)
				.withPropertyValues("nsq.template.observation-enabled=true", "nsq.listener.observation-enabled=true")
				.run((context) -> {
					TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
					context.getBean(NsqTemplate.class).send("orders", "x");
					assertThat(registry).hasObservationWithNameEqualTo("nsq.template")
						.that()
						.hasLowCardinalityKeyValue("nsq.template.name", "nsqTemplate");
					NsqContainerProperties properties = containerProperties(context);
					assertThat(properties.isObservationEnabled()).isTrue();
					assertThat(properties.getObservationRegistry()).isSameAs(registry);
				});
		}

		@Test
		void uniqueConventionBeansArePickedUp() {
			NsqListenerObservationConvention listenerConvention = new DefaultNsqListenerObservationConvention();
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withBean(ObservationRegistry.class, TestObservationRegistry::create)
				.withBean(NsqTemplateObservationConvention.class, () -> new DefaultNsqTemplateObservationConvention() {
					@Override
					public KeyValues getLowCardinalityKeyValues(NsqMessageSenderContext context) {
						return super.getLowCardinalityKeyValues(context).and("team", "billing");
					}
				})
				.withBean(NsqListenerObservationConvention.class, () -> listenerConvention)
				.withPropertyValues("nsq.template.observation-enabled=true")
				.run((context) -> {
					context.getBean(NsqTemplate.class).send("orders", "x");
					assertThat(context.getBean(TestObservationRegistry.class))
						.hasObservationWithNameEqualTo("nsq.template")
						.that()
						.hasLowCardinalityKeyValue("team", "billing");
					assertThat(containerProperties(context).getObservationConvention()).isSameAs(listenerConvention);
				});
		}

	}

	@Nested
	class Envelope {

		@Test
		void envelopePropertyTurnsItOnForTemplateAndDeadLetters() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.envelope.enabled=true", "nsq.listener.dead-letter.enabled=true")
				.run((context) -> {
					assertThat(context.getBean(NsqTemplate.class).isEnvelopeEnabled()).isTrue();
					// dead letters go through the template, so its envelope applies
					assertThat(context.getBean(DeadLetterPublishingRecoverer.class))
						.hasFieldOrPropertyWithValue("operations", context.getBean(NsqTemplate.class));
				});
		}

	}

	@Nested
	class Metrics {

		@Test
		void templateAndContainersGetMetersWhenThereIsAMeterRegistry() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
				.run((context) -> {
					MeterRegistry meters = context.getBean(MeterRegistry.class);
					context.getBean(NsqTemplate.class).send("orders", "x");
					assertThat(meters.get("nsq.publish").tags("topic", "orders", "result", "success").timer().count())
						.isEqualTo(1);
					assertThat(containerProperties(context).getListenerMetrics()).isNotNull();
				});
		}

		@Test
		void backsOffWithoutMicrometerCore() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(NsqMetricsAutoConfiguration.class)
					.hasSingleBean(NsqTemplate.class));
		}

	}

	@Nested
	class Idle {

		@Test
		void idleEventIntervalReachesTheContainers() {
			NsqObservabilityAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.listener.idle-event-interval=5s")
				.run((context) -> assertThat(containerProperties(context).getIdleEventInterval())
					.isEqualTo(Duration.ofSeconds(5)));
		}

	}

}
