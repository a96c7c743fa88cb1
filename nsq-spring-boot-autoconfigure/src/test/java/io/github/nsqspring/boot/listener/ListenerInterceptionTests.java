package io.github.nsqspring.boot.listener;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The filter strategy and the message interceptor around a record listener: per factory
 * (Spring Boot applies the single bean of each), per container and per listener.
 */
class ListenerInterceptionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class, Listeners.class, CallLog.class);

	@Test
	void interceptorSeesEachMessageBeforeAndAfterTheListener() {
		this.contextRunner.withUserConfiguration(RecordingInterceptor.class).run((context) -> {
			List<String> calls = context.getBean(CallLog.class).calls;
			TestNsqMessage ok = new TestNsqMessage("ok", 1);
			consumers(context).deliver("orders", "main", ok);
			assertThat(calls).containsExactly("intercept ok", "listener ok", "success ok", "after ok");
			assertThat(ok.responses()).containsExactly("FIN");

			calls.clear();
			TestNsqMessage failing = new TestNsqMessage("fail", 1);
			consumers(context).deliver("orders", "main", failing);
			assertThat(calls).containsExactly("intercept fail", "listener fail", "failure fail: boom", "after fail");
			assertThat(failing.responses()).as("the error handler still requeues it").containsExactly("REQ");
		});
	}

	@Test
	void interceptorReturningNullSkipsTheListenerAndTheMessageIsFinished() {
		this.contextRunner.withUserConfiguration(RecordingInterceptor.class).run((context) -> {
			TestNsqMessage skipped = new TestNsqMessage("skip-me", 1);
			consumers(context).deliver("orders", "main", skipped);
			assertThat(context.getBean(Listeners.class).received).isEmpty();
			assertThat(context.getBean(CallLog.class).calls).containsExactly("intercept skip-me");
			assertThat(skipped.responses()).containsExactly("FIN");
		});
	}

	@Test
	void interceptorExceptionIsAListenerFailure() {
		this.contextRunner.withBean(NsqMessageInterceptor.class, () -> new NsqMessageInterceptor() {

			@Override
			public NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) {
				throw new IllegalStateException("interceptor says no");
			}

		}).run((context) -> {
			TestNsqMessage message = new TestNsqMessage("x", 1);
			consumers(context).deliver("orders", "main", message);
			assertThat(context.getBean(Listeners.class).received).isEmpty();
			assertThat(message.responses()).containsExactly("REQ");
		});
	}

	@Test
	void filteredMessagesAreFinishedAndCountedWithoutReachingTheListener() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.contextRunner.withBean(NsqMessageFilterStrategy.class, () -> (message) -> body(message).startsWith("-"))
			.withBean(ContainerCustomizer.class,
					() -> (ContainerCustomizer<DefaultNsqMessageListenerContainer>) (container) -> container
						.getContainerProperties()
						.setListenerMetrics(MicrometerNsqListenerMetrics.factory(meters)))
			.run((context) -> {
				TestNsqMessage dropped = new TestNsqMessage("-drop", 1);
				TestNsqMessage kept = new TestNsqMessage("keep", 1);
				consumers(context).deliver("orders", "main", dropped);
				consumers(context).deliver("orders", "main", kept);
				assertThat(context.getBean(Listeners.class).received).containsExactly("keep");
				assertThat(dropped.responses()).containsExactly("FIN");
				DefaultNsqMessageListenerContainer container = (DefaultNsqMessageListenerContainer) context
					.getBean(NsqListenerEndpointRegistry.class)
					.getListenerContainer("main");
				assertThat(container.getFilteredCount()).isOne();
				assertThat(
						meters.get(MicrometerNsqListenerMetrics.FILTERED).tag("listener.id", "main").counter().count())
					.isOne();
			});
	}

	@Test
	void aListenersOwnFilterReplacesTheFactorys() {
		// two filter beans: the factory takes the primary one
		this.contextRunner
			.withBean(NsqMessageFilterStrategy.class, () -> (message) -> true,
					(definition) -> definition.setPrimary(true))
			.withUserConfiguration(OwnFilterListener.class)
			.run((context) -> {
				consumers(context).deliver("orders", "own", new TestNsqMessage("a", 1));
				consumers(context).deliver("orders", "own", new TestNsqMessage("b", 1));
				assertThat(context.getBean(OwnFilterListener.class).received).containsExactly("b");
				consumers(context).deliver("orders", "main", new TestNsqMessage("c", 1));
				assertThat(context.getBean(Listeners.class).received).as("the factory's filter drops all").isEmpty();
			});
	}

	@Test
	void aContainerCanHaveItsOwnInterceptor() {
		List<String> ownCalls = new CopyOnWriteArrayList<>();
		this.contextRunner.withUserConfiguration(RecordingInterceptor.class)
			.withBean(ContainerCustomizer.class,
					() -> (ContainerCustomizer<DefaultNsqMessageListenerContainer>) (container) -> {
						if (container.getListenerId().equals("main")) {
							container.getContainerProperties().setMessageInterceptor(new NsqMessageInterceptor() {

								@Override
								public void afterMessage(NsqMessage message, NsqMessageListenerContainer c) {
									ownCalls.add("own after " + body(message));
								}

							});
						}
					})
			.run((context) -> {
				consumers(context).deliver("orders", "main", new TestNsqMessage("x", 1));
				assertThat(ownCalls).containsExactly("own after x");
				assertThat(context.getBean(CallLog.class).calls).containsExactly("listener x");
				assertThat(context.getBean(ConcurrentNsqListenerContainerFactory.class)
					.getContainerProperties()
					.getMessageInterceptor()).isSameAs(context.getBean(RecordingInterceptor.class));
			});
	}

	@Test
	void compositeInterceptorRunsInOrderAndUnwindsInReverse() throws Exception {
		List<String> calls = new CopyOnWriteArrayList<>();
		CompositeNsqMessageInterceptor composite = new CompositeNsqMessageInterceptor(named("a", calls),
				named("b", calls));
		TestNsqMessage message = new TestNsqMessage("x", 1);
		NsqMessageListenerContainer container = mock(NsqMessageListenerContainer.class);
		assertThat(composite.intercept(message, container)).isSameAs(message);
		composite.success(message, container);
		composite.afterMessage(message, container);
		assertThat(calls).containsExactly("a intercept", "b intercept", "b success", "a success", "b after", "a after");
	}

	private static NsqMessageInterceptor named(String name, List<String> calls) {
		return new NsqMessageInterceptor() {

			@Override
			public NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) {
				calls.add(name + " intercept");
				return message;
			}

			@Override
			public void success(NsqMessage message, NsqMessageListenerContainer container) {
				calls.add(name + " success");
			}

			@Override
			public void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
				calls.add(name + " after");
			}

		};
	}

	private static String body(NsqMessage message) {
		return new String(message.body(), StandardCharsets.UTF_8);
	}

	private static CapturingConsumerFactory consumers(AssertableApplicationContext context) {
		return context.getBean(CapturingConsumerFactory.class);
	}

	static class CallLog {

		final List<String> calls = new CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> received = new CopyOnWriteArrayList<>();

		private final CallLog log;

		Listeners(CallLog log) {
			this.log = log;
		}

		@NsqListener(id = "main", topic = "orders", channel = "main")
		void onMessage(String body) {
			this.received.add(body);
			this.log.calls.add("listener " + body);
			if (body.equals("fail")) {
				throw new IllegalStateException("boom");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFilterListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "own", filter = "dropA")
		void onMessage(String body) {
			this.received.add(body);
		}

		@Bean
		NsqMessageFilterStrategy dropA() {
			return (message) -> body(message).equals("a");
		}

	}

	static class RecordingInterceptor implements NsqMessageInterceptor {

		private final List<String> calls;

		RecordingInterceptor(CallLog log) {
			this.calls = log.calls;
		}

		@Override
		public @Nullable NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) {
			this.calls.add("intercept " + body(message));
			return body(message).equals("skip-me") ? null : message;
		}

		@Override
		public void success(NsqMessage message, NsqMessageListenerContainer container) {
			this.calls.add("success " + body(message));
		}

		@Override
		public void failure(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
			this.calls.add("failure " + body(message) + ": " + exception.getCause().getMessage());
		}

		@Override
		public void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
			this.calls.add("after " + body(message));
		}

	}

}
