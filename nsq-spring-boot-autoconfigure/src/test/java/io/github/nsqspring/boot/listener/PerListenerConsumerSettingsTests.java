package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.core.NsqListenerConsumerSpec;
import io.github.nsqspring.boot.event.ConnectionLostEvent;
import io.github.nsqspring.boot.event.NsqEvent;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.producer.NsqProducer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Per-listener consumer settings: {@code @NsqListener(properties = ...)}, the
 * listener-aware {@link NsqListenerConsumerCustomizer} and their precedence over
 * {@code nsq.consumer.*}.
 */
class PerListenerConsumerSettingsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class);

	@Test
	void annotationPropertiesConfigureTheListenersConsumer() {
		this.contextRunner.withUserConfiguration(TunedListener.class).run((context) -> {
			NsqConfig config = consumers(context).get("orders", "tuned").config();
			assertThat(config.consumer().getMsgTimeout()).isEqualTo(Duration.ofMinutes(2));
			assertThat(config.consumer().getMaxAttempts()).isEqualTo(10);
			assertThat(config.consumer().getDefaultRequeueDelay()).isEqualTo(Duration.ofSeconds(5));
			assertThat(config.consumer().getMaxInFlight()).isEqualTo(3);
			NsqMessageListenerContainer container = context.getBean(NsqListenerEndpointRegistry.class)
				.getListenerContainer("tuned");
			assertThat(container.getContainerProperties().getMaxAttempts()).as("what the error handler counts against")
				.isEqualTo(10);
			assertThat(container.getContainerProperties().getMaxInFlight()).as("what resume() restores").isEqualTo(3);
		});
	}

	@Test
	void theErrorHandlerUsesTheListenersMaxAttempts() {
		this.contextRunner.withUserConfiguration(TunedListener.class).run((context) -> {
			TestNsqMessage ninth = new TestNsqMessage("fail", 9);
			consumers(context).deliver("orders", "tuned", ninth);
			assertThat(ninth.responses()).as("attempt 9 of 10 is retried").containsExactly("REQ");
			TestNsqMessage tenth = new TestNsqMessage("fail", 10);
			consumers(context).deliver("orders", "tuned", tenth);
			assertThat(tenth.responses()).as("attempt 10 of 10 is given up on").containsExactly("FIN");
		});
	}

	@Test
	void precedenceIsAnnotationThenCustomizersThenNsqConsumerProperties() {
		this.contextRunner.withUserConfiguration(PrecedenceListeners.class, Customizers.class)
			.withPropertyValues("nsq.consumer.max-attempts=3", "nsq.consumer.msg-timeout=30s")
			.run((context) -> {
				CapturingConsumerFactory consumers = consumers(context);
				NsqConfig plain = consumers.get("orders", "plain").config();
				assertThat(plain.consumer().getMaxAttempts()).as("nsq.consumer.*").isEqualTo(3);
				assertThat(plain.consumer().getMsgTimeout()).isEqualTo(Duration.ofSeconds(30));
				NsqConfig customized = consumers.get("orders", "customized").config();
				assertThat(customized.consumer().getMaxAttempts()).as("customizer over nsq.consumer.*").isEqualTo(7);
				assertThat(customized.consumer().getMsgTimeout()).as("the second customizer runs last")
					.isEqualTo(Duration.ofMinutes(3));
				NsqConfig annotated = consumers.get("orders", "annotated").config();
				assertThat(annotated.consumer().getMaxAttempts()).as("annotation over customizer").isEqualTo(12);
				assertThat(annotated.consumer().getMsgTimeout()).as("customizer still applies to other options")
					.isEqualTo(Duration.ofMinutes(3));
			});
	}

	@Test
	void customizersAreToldWhichListenerTheyConfigure() {
		this.contextRunner.withUserConfiguration(PrecedenceListeners.class, Customizers.class).run((context) -> {
			List<NsqListenerConsumerSpec> specs = context.getBean(Customizers.class).seen;
			assertThat(specs).extracting(NsqListenerConsumerSpec::listenerId)
				.contains("plain", "customized", "annotated");
			assertThat(specs).filteredOn((spec) -> spec.listenerId().equals("customized")).allSatisfy((spec) -> {
				assertThat(spec.topic()).isEqualTo("orders");
				assertThat(spec.channel()).isEqualTo("customized");
			});
		});
	}

	@Test
	void placeholdersAndExpressionsResolveInProperties() {
		this.contextRunner.withUserConfiguration(ResolvedListener.class)
			.withPropertyValues("app.msg-timeout=45s")
			.run((context) -> {
				NsqConfig config = consumers(context).get("orders", "resolved").config();
				assertThat(config.consumer().getMsgTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(config.consumer().getMaxAttempts()).as("from a map expression").isEqualTo(4);
				assertThat(config.consumer().getDefaultRequeueDelay()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void unknownOptionFailsStartupNamingTheListenerAndTheOption() {
		this.contextRunner.withUserConfiguration(UnknownOptionListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("onMessage")
				.hasStackTraceContaining("'msg_timeuot'"));
	}

	@Test
	void unconvertibleValueFailsStartupNamingTheListenerAndTheOption() {
		this.contextRunner.withUserConfiguration(BadValueListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("onMessage")
				.hasStackTraceContaining("'msg_timeout'"));
	}

	@Test
	void outOfRangeValueFailsStartupNamingTheListenerAndTheOption() {
		this.contextRunner.withUserConfiguration(OutOfRangeListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Listener 'outOfRange'")
				.hasStackTraceContaining("max_attempts"));
	}

	@Test
	void malformedElementFailsStartup() {
		this.contextRunner.withUserConfiguration(MalformedListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("must be 'name=value', was 'msg_timeout'"));
	}

	@Test
	void anOptionSetByAnAttributeAndByPropertiesFailsStartup() {
		this.contextRunner.withUserConfiguration(TwiceListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("max_in_flight is set twice"));
	}

	@Test
	void aConsumerListenerSetByACustomizerIsComposedWithTheContainersOwn() {
		this.contextRunner.withUserConfiguration(PrecedenceListeners.class, ConnectionEvents.class).run((context) -> {
			ConsumerListener installed = (ConsumerListener) ReflectionTestUtils
				.getField(consumers(context).builder("orders", "plain"), "listener");
			assertThat(installed).isNotNull();
			IllegalStateException cause = new IllegalStateException("connection reset");
			installed.onDisconnected("127.0.0.1:4150", cause);
			ConnectionEvents events = context.getBean(ConnectionEvents.class);
			assertThat(events.disconnected).as("the customizer's listener").contains("127.0.0.1:4150");
			assertThat(events.events).as("the container's own listener")
				.anySatisfy((event) -> assertThat(event).isInstanceOf(ConnectionLostEvent.class));
		});
	}

	private static CapturingConsumerFactory consumers(AssertableApplicationContext context) {
		return context.getBean(CapturingConsumerFactory.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class TunedListener {

		@NsqListener(id = "tuned", topic = "orders", channel = "tuned", maxInFlight = "3",
				properties = { "msg_timeout=2m", "max_attempts: 10", "default_requeue_delay=5s" })
		void onMessage(String body) {
			throw new IllegalStateException("fails");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrecedenceListeners {

		@NsqListener(id = "plain", topic = "orders", channel = "plain")
		void plain(String body) {
		}

		@NsqListener(id = "customized", topic = "orders", channel = "customized")
		void customized(String body) {
		}

		@NsqListener(id = "annotated", topic = "orders", channel = "annotated", properties = "max_attempts=12")
		void annotated(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		final List<NsqListenerConsumerSpec> seen = new CopyOnWriteArrayList<>();

		@Bean
		@Order(1)
		NsqListenerConsumerCustomizer first() {
			return (spec) -> {
				this.seen.add(spec);
				if (!spec.listenerId().equals("plain")) {
					spec.config().set("max_attempts", 7).set("msg_timeout", "1m");
				}
			};
		}

		@Bean
		@Order(2)
		NsqListenerConsumerCustomizer second() {
			return (spec) -> {
				if (!spec.listenerId().equals("plain")) {
					spec.config().set("msg_timeout", "3m");
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ResolvedListener {

		@NsqListener(topic = "orders", channel = "resolved", properties = { "msg_timeout=${app.msg-timeout}",
				"#{{'max_attempts': 4, 'default_requeue_delay': '2s'}}" })
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownOptionListener {

		@NsqListener(topic = "orders", channel = "c", properties = "msg_timeuot=2m")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadValueListener {

		@NsqListener(topic = "orders", channel = "c", properties = "msg_timeout=soon")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OutOfRangeListener {

		@NsqListener(id = "outOfRange", topic = "orders", channel = "c", properties = "max_attempts=70000")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MalformedListener {

		@NsqListener(topic = "orders", channel = "c", properties = "msg_timeout")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwiceListener {

		@NsqListener(topic = "orders", channel = "c", maxInFlight = "5", properties = "max_in_flight=6")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionEvents implements ApplicationListener<NsqEvent> {

		final List<String> disconnected = new CopyOnWriteArrayList<>();

		final List<NsqEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		NsqListenerConsumerCustomizer connectionListener() {
			return (spec) -> spec.consumer().listener(new ConsumerListener() {

				@Override
				public void onDisconnected(String nsqdAddress, Throwable cause) {
					ConnectionEvents.this.disconnected.add(nsqdAddress);
				}

			});
		}

		@Override
		public void onApplicationEvent(NsqEvent event) {
			this.events.add(event);
		}

	}

}
