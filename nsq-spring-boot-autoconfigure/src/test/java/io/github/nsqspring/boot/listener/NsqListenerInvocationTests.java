package io.github.nsqspring.boot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.event.ConsumerPausedEvent;
import io.github.nsqspring.boot.event.ConsumerResumedEvent;
import io.github.nsqspring.boot.event.ConsumerStartedEvent;
import io.github.nsqspring.boot.event.ConsumerStoppedEvent;
import io.github.nsqspring.boot.event.NsqEvent;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * How {@code @NsqListener} methods are called, with the consumer replaced by a capturing
 * factory: messages are handed to the container's handler as the core consumer would.
 */
class NsqListenerInvocationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ValidationAutoConfiguration.class,
				NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class);

	@Test
	void convertsJsonPayloadsToPojos() {
		this.contextRunner.withUserConfiguration(PojoListener.class).run((context) -> {
			TestNsqMessage message = new TestNsqMessage("{\"id\":\"A-1\",\"quantity\":2}", 1);
			consumers(context).deliver("orders", "billing", message);
			assertThat(context.getBean(PojoListener.class).received).containsExactly(new Order("A-1", 2));
			assertThat(message.responses()).containsExactly("FIN");
		});
	}

	@Test
	void resolvesNsqHeaders() {
		this.contextRunner.withUserConfiguration(HeaderListener.class).run((context) -> {
			consumers(context).deliver("orders", "audit", new TestNsqMessage("hello", 3));
			Map<String, Object> headers = context.getBean(HeaderListener.class).headers;
			assertThat(headers).containsEntry("payload", "hello")
				.containsEntry("id", "0123456789abcdef")
				.containsEntry("attempts", 3)
				.containsEntry("timestamp", 1_700_000_000_000_000_000L)
				.containsEntry("nsqd", "127.0.0.1:4150")
				.containsEntry("topic", "orders")
				.containsEntry("channel", "audit");
		});
	}

	@Test
	void passesSpringMessages() {
		this.contextRunner.withUserConfiguration(MessageListener.class).run((context) -> {
			consumers(context).deliver("orders", "raw", new TestNsqMessage("bytes", 1));
			Message<?> message = context.getBean(MessageListener.class).received.get(0);
			assertThat((byte[]) message.getPayload()).isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
			assertThat(message.getHeaders()).containsEntry(NsqHeaders.TOPIC, "orders");
		});
	}

	@Test
	void rawMessageListenersAcknowledgeThemselvesWithoutADoubleAnswer() {
		this.contextRunner.withUserConfiguration(ManualListener.class).run((context) -> {
			TestNsqMessage requeued = new TestNsqMessage("requeue", 1);
			consumers(context).deliver("orders", "manual", requeued);
			assertThat(requeued.responses()).containsExactly("REQ 5000");
			assertThat(requeued.touches()).isEqualTo(1);

			TestNsqMessage finished = new TestNsqMessage("finish", 1);
			consumers(context).deliver("orders", "manual", finished);
			assertThat(finished.responses()).containsExactly("FIN");

			TestNsqMessage later = new TestNsqMessage("later", 1);
			consumers(context).deliver("orders", "manual", later);
			assertThat(later.responses()).as("left for the listener to answer later").isEmpty();
			context.getBean(ManualListener.class).kept.get(0).finish();
			assertThat(later.responses()).containsExactly("FIN");
		});
	}

	@Test
	void failingListenerIsRequeuedThenRecoveredAtTheLastAttempt() {
		this.contextRunner.withUserConfiguration(FailingListener.class, Recoverer.class).run((context) -> {
			TestNsqMessage first = new TestNsqMessage("x", 1);
			consumers(context).deliver("orders", "failing", first);
			assertThat(first.responses()).containsExactly("REQ");
			TestNsqMessage last = new TestNsqMessage("x", 2);
			consumers(context).deliver("orders", "failing", last);
			assertThat(last.responses()).containsExactly("FIN");
			assertThat(context.getBean(Recoverer.class).recovered).singleElement()
				.satisfies((cause) -> assertThat(cause).hasMessage("always fails"));
		});
	}

	@Test
	void unconvertibleAndInvalidPayloadsGoStraightToTheRecoverer() {
		this.contextRunner.withUserConfiguration(PojoListener.class, ValidatingListener.class, Recoverer.class)
			.run((context) -> {
				TestNsqMessage notJson = new TestNsqMessage("not json", 1);
				consumers(context).deliver("orders", "billing", notJson);
				assertThat(notJson.responses()).containsExactly("FIN");

				TestNsqMessage invalid = new TestNsqMessage("{\"id\":\"\",\"quantity\":0}", 1);
				consumers(context).deliver("orders", "validating", invalid);
				assertThat(invalid.responses()).containsExactly("FIN");
				assertThat(context.getBean(ValidatingListener.class).received).isEmpty();

				TestNsqMessage valid = new TestNsqMessage("{\"id\":\"A\",\"quantity\":1}", 1);
				consumers(context).deliver("orders", "validating", valid);
				assertThat(context.getBean(ValidatingListener.class).received).hasSize(1);

				assertThat(context.getBean(Recoverer.class).recovered).hasSize(2);
				assertThat(context.getBean(PojoListener.class).received).isEmpty();
			});
	}

	@Test
	void listenerErrorHandlerSettlesFailures() {
		this.contextRunner.withUserConfiguration(ErrorHandledListener.class).run((context) -> {
			TestNsqMessage message = new TestNsqMessage("x", 1);
			consumers(context).deliver("orders", "handled", message);
			assertThat(message.responses()).containsExactly("FIN");
			assertThat(context.getBean(ErrorHandledListener.class).handled).containsExactly("handled: boom");
		});
	}

	@Test
	void errorHandlerAndFilterMayBeExpressionsThatYieldTheBeans() {
		this.contextRunner.withUserConfiguration(ExpressionReferencesListener.class, ExpressionReferencedBeans.class)
			.run((context) -> {
				TestNsqMessage dropped = new TestNsqMessage("drop", 1);
				consumers(context).deliver("orders", "expressions", dropped);
				TestNsqMessage failing = new TestNsqMessage("x", 1);
				consumers(context).deliver("orders", "expressions", failing);
				assertThat(context.getBean(ExpressionReferencesListener.class).received).containsExactly("x");
				assertThat(context.getBean(ExpressionReferencedBeans.class).handled).containsExactly("handled: boom");
				assertThat(failing.responses()).containsExactly("FIN");
			});
	}

	@Test
	void anExpressionYieldingAnotherTypeFailsStartupNamingTheAttribute() {
		this.contextRunner.withUserConfiguration(WrongReferenceListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("attribute errorHandler is a java.lang.Integer")
				.hasMessageContaining("neither a NsqListenerErrorHandler nor the name of one"));
	}

	@Test
	void theApplicationsConverterBeansConvertHeaderArguments() {
		this.contextRunner.withUserConfiguration(ConvertedHeaderListener.class, TopicNameConverter.class)
			.run((context) -> {
				consumers(context).deliver("orders", "converted", new TestNsqMessage("x", 1));
				assertThat(context.getBean(ConvertedHeaderListener.class).topics)
					.containsExactly(new TopicName("orders"));
			});
	}

	@Test
	void oneListenerClassServesSeveralBeansThroughItsBeanRef() {
		this.contextRunner.withUserConfiguration(TopicPerBeanConfiguration.class).run((context) -> {
			consumers(context).deliver("clicks", "per-bean", new TestNsqMessage("c", 1));
			consumers(context).deliver("views", "per-bean", new TestNsqMessage("v", 1));
			consumers(context).deliver("views", "per-bean-named", new TestNsqMessage("n", 1));
			assertThat(context.getBean("clicksListener", TopicListener.class).received).containsExactly("c");
			assertThat(context.getBean("viewsListener", TopicListener.class).received).containsExactly("v", "n");
		});
	}

	@Test
	void resolvesPlaceholdersAndSpelAndRepeatedAnnotations() {
		this.contextRunner.withUserConfiguration(PlaceholderListener.class)
			.withPropertyValues("app.topic=payments", "app.max-in-flight=32")
			.run((context) -> {
				CapturingConsumerFactory consumers = consumers(context);
				assertThat(consumers.hasConsumer("payments", "fraud")).isTrue();
				assertThat(consumers.hasConsumer("refunds", "fraud")).isTrue();
				assertThat(consumers.get("payments", "fraud").config().consumer().getMaxInFlight()).isEqualTo(32);
				assertThat(consumers.get("payments", "fraud").concurrency()).isEqualTo(4);
				assertThat(consumers.get("payments", "fraud").config().consumer().getMaxAttempts()).isEqualTo(2);
				NsqListenerEndpointRegistry registry = context.getBean(NsqListenerEndpointRegistry.class);
				assertThat(registry.getListenerContainerIds()).contains("payments-fraud");
			});
	}

	@Test
	void invalidTopicFailsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(InvalidTopicListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("onMessage")
				.hasStackTraceContaining("invalid topic name \"bad topic\""));
	}

	@Test
	void registryPausesResumesAndStopsContainersWithEvents() {
		this.contextRunner.withUserConfiguration(PojoListener.class, Events.class).run((context) -> {
			NsqListenerEndpointRegistry registry = context.getBean(NsqListenerEndpointRegistry.class);
			NsqMessageListenerContainer container = registry.getListenerContainer("pojo");
			assertThat(container).isNotNull();
			assertThat(container.isRunning()).isTrue();
			CapturingConsumerFactory.Created created = consumers(context).get("orders", "billing");
			then(created.consumer()).should().start();

			container.pause();
			then(created.consumer()).should().changeMaxInFlight(0);
			container.resume();
			then(created.consumer()).should().changeMaxInFlight(1);

			container.stop();
			// the default shutdown timeout: Boot's 30 s shutdown phase less the stop's
			// grace
			then(created.consumer()).should().stop(Duration.ofSeconds(13));
			assertThat(container.isRunning()).isFalse();
			assertThat(context.getBean(Events.class).events).extracting(Object::getClass)
				.containsSubsequence(ConsumerStartedEvent.class, ConsumerPausedEvent.class, ConsumerResumedEvent.class,
						ConsumerStoppedEvent.class);
		});
	}

	private static CapturingConsumerFactory consumers(AssertableApplicationContext context) {
		return context.getBean(CapturingConsumerFactory.class);
	}

	record Order(@NotBlank String id, @Min(1) int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class PojoListener {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "pojo", topic = "orders", channel = "billing")
		void onOrder(Order order) {
			this.received.add(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatingListener {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "validating")
		void onOrder(@Payload @Valid Order order) {
			this.received.add(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HeaderListener {

		final Map<String, Object> headers = new java.util.concurrent.ConcurrentHashMap<>();

		@NsqListener(topic = "orders", channel = "audit")
		void onMessage(String payload, @Header(NsqHeaders.ID) String id, @Header(NsqHeaders.ATTEMPTS) int attempts,
				@Header(NsqHeaders.TIMESTAMP) long timestamp, @Header(NsqHeaders.NSQD_ADDRESS) String nsqd,
				@Header(NsqHeaders.TOPIC) String topic, @Header(NsqHeaders.CHANNEL) String channel) {
			this.headers.putAll(Map.of("payload", payload, "id", id, "attempts", attempts, "timestamp", timestamp,
					"nsqd", nsqd, "topic", topic, "channel", channel));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MessageListener {

		final List<Message<?>> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "raw")
		void onMessage(Message<byte[]> message) {
			this.received.add(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ManualListener {

		final List<NsqMessage> kept = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "manual")
		void onMessage(String body, NsqMessage message) {
			switch (body) {
				case "requeue" -> {
					message.touch();
					message.requeue(Duration.ofSeconds(5));
				}
				case "finish" -> message.finish();
				default -> this.kept.add(message);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListener {

		@NsqListener(topic = "orders", channel = "failing", maxAttempts = "2")
		void onMessage(String body) {
			throw new IllegalStateException("always fails");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ErrorHandledListener {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "handled", errorHandler = "settlingErrorHandler")
		void onMessage(String body) {
			throw new IllegalStateException("boom");
		}

		@Bean
		NsqListenerErrorHandler settlingErrorHandler() {
			return (message, exception) -> this.handled.add("handled: " + exception.getCause().getMessage());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExpressionReferencesListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "expressions", errorHandler = "#{@expressionErrorHandler}",
				filter = "#{@expressionFilter}")
		void onMessage(String body) {
			this.received.add(body);
			throw new IllegalStateException("boom");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExpressionReferencedBeans {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@Bean
		NsqListenerErrorHandler expressionErrorHandler() {
			return (message, exception) -> this.handled.add("handled: " + exception.getCause().getMessage());
		}

		@Bean
		NsqMessageFilterStrategy expressionFilter() {
			return (message) -> new String(message.body(), StandardCharsets.UTF_8).equals("drop");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrongReferenceListener {

		@NsqListener(topic = "orders", channel = "wrong", errorHandler = "#{40 + 2}")
		void onMessage(String body) {
		}

	}

	record TopicName(String value) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ConvertedHeaderListener {

		final List<TopicName> topics = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "converted")
		void onMessage(String body, @Header(NsqHeaders.TOPIC) TopicName topic) {
			this.topics.add(topic);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TopicNameConverter {

		@Bean
		Converter<String, TopicName> topicNameConverter() {
			return TopicName::new;
		}

	}

	static class TopicListener {

		private final String topic;

		final List<String> received = new CopyOnWriteArrayList<>();

		TopicListener(String topic) {
			this.topic = topic;
		}

		public String getTopic() {
			return this.topic;
		}

		@NsqListener(topic = "#{__listener.topic}", channel = "per-bean")
		@NsqListener(topic = "#{me.topic}", channel = "per-bean-named", beanRef = "me")
		void onMessage(String body) {
			this.received.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TopicPerBeanConfiguration {

		@Bean
		TopicListener clicksListener() {
			return new TopicListener("clicks");
		}

		@Bean
		TopicListener viewsListener() {
			return new TopicListener("views");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderListener {

		@NsqListener(id = "${app.topic}-fraud", topic = "${app.topic}", channel = "fraud",
				maxInFlight = "${app.max-in-flight}", concurrency = "#{2 * 2}", maxAttempts = "2")
		@NsqListener(topic = "refunds", channel = "fraud")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InvalidTopicListener {

		@NsqListener(topic = "bad topic", channel = "c")
		void onMessage(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Recoverer implements NsqMessageRecoverer {

		final List<Throwable> recovered = new CopyOnWriteArrayList<>();

		@Override
		public void recover(NsqMessage message, String topic, String channel, Throwable cause) {
			this.recovered.add(cause);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Events implements ApplicationListener<NsqEvent> {

		final List<NsqEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(NsqEvent event) {
			this.events.add(event);
		}

	}

}
