package io.github.nsqspring.boot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Batch listeners, with the consumer replaced by a capturing factory: messages are handed
 * to the container's handler as the core consumer would, and the batches run on the
 * container's batch threads.
 */
class BatchListenerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class);

	@Test
	void aBatchIsHandedOverWhenFullAndFinishedAsAWhole() {
		this.contextRunner.withUserConfiguration(StringBatches.class).run((context) -> {
			TestNsqMessage[] messages = deliver(context, "strings", "a", "b", "c");
			StringBatches listener = context.getBean(StringBatches.class);
			await().atMost(WAIT).until(() -> listener.batches.size() == 1);
			assertThat(listener.batches).containsExactly(List.of("a", "b", "c"));
			for (TestNsqMessage message : messages) {
				await().atMost(WAIT).until(() -> message.response() != null);
				assertThat(message.responses()).containsExactly("FIN");
			}
		});
	}

	@Test
	void aBatchThatDoesNotFillIsHandedOverAfterTheBatchTimeout() {
		this.contextRunner.withUserConfiguration(TimedBatches.class).run((context) -> {
			long start = System.nanoTime();
			deliver(context, "timed", "a", "b");
			TimedBatches listener = context.getBean(TimedBatches.class);
			await().atMost(WAIT).until(() -> listener.batches.size() == 1);
			long waitedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
			assertThat(listener.batches).containsExactly(List.of("a", "b"));
			assertThat(waitedMillis).as("the batch waited for more messages").isGreaterThanOrEqualTo(250);
		});
	}

	@Test
	void aFailedIndexFinishesTheMessagesBeforeItAndRequeuesTheRestWithoutBackoff() {
		this.contextRunner.withUserConfiguration(StringBatches.class).run((context) -> {
			TestNsqMessage[] messages = deliver(context, "strings", "a", "fail-b", "c");
			awaitAnswered(messages);
			assertThat(messages[0].responses()).containsExactly("FIN");
			assertThat(messages[1].responses()).as("error handler: requeue with backoff").containsExactly("REQ");
			assertThat(messages[2].responses()).as("not processed: back at once").containsExactly("REQ-NB 0");
		});
	}

	@Test
	void aBatchThatFailsAsAWholeGoesToTheErrorHandlerWithOneBackoffSignal() {
		this.contextRunner.withUserConfiguration(StringBatches.class).run((context) -> {
			TestNsqMessage[] messages = deliver(context, "strings", "a", "b", "boom");
			awaitAnswered(messages);
			assertThat(messages[0].responses()).containsExactly("REQ");
			// default_requeue_delay (90s) x attempt 1, without another backoff signal
			assertThat(messages[1].responses()).containsExactly("REQ-NB 90000");
			assertThat(messages[2].responses()).containsExactly("REQ-NB 90000");
		});
	}

	@Test
	void anUnconvertiblePayloadGoesToTheRecovererAndTheOthersAreNotLost() {
		this.contextRunner.withUserConfiguration(OrderBatches.class, Recoverer.class).run((context) -> {
			TestNsqMessage[] messages = deliver(context, "orders", "{\"id\":\"A\",\"quantity\":1}", "not json",
					"{\"id\":\"C\",\"quantity\":3}");
			awaitAnswered(messages);
			assertThat(context.getBean(OrderBatches.class).batches).containsExactly(List.of(new Order("A", 1)));
			assertThat(messages[0].responses()).containsExactly("FIN");
			assertThat(messages[1].responses()).as("recovered at once, then finished").containsExactly("FIN");
			assertThat(context.getBean(Recoverer.class).recovered).singleElement()
				.isInstanceOf(MessageConversionException.class);
			assertThat(messages[2].responses()).containsExactly("REQ-NB 0");
		});
	}

	@Test
	void messagesOfABatchCarryTheirHeaders() {
		this.contextRunner.withUserConfiguration(MessageBatches.class).run((context) -> {
			deliver(context, "messages", "{\"id\":\"A\",\"quantity\":1}", "{\"id\":\"B\",\"quantity\":2}");
			MessageBatches listener = context.getBean(MessageBatches.class);
			await().atMost(WAIT).until(() -> listener.batches.size() == 1);
			List<Message<Order>> batch = listener.batches.get(0);
			assertThat(batch).extracting(Message::getPayload).containsExactly(new Order("A", 1), new Order("B", 2));
			assertThat(batch).allSatisfy((message) -> {
				assertThat(message.getHeaders()).containsEntry(NsqHeaders.TOPIC, "orders")
					.containsEntry(NsqHeaders.CHANNEL, "messages")
					.containsEntry(NsqHeaders.ATTEMPTS, 1)
					.containsKey(NsqHeaders.ID);
			});
			assertThat(listener.topics).containsExactly("orders");
		});
	}

	@Test
	void rawBatchListenersAcknowledgeThemselves() {
		this.contextRunner.withUserConfiguration(RawBatches.class).run((context) -> {
			TestNsqMessage[] messages = deliver(context, "raw", "finish", "keep");
			RawBatches listener = context.getBean(RawBatches.class);
			await().atMost(WAIT).until(() -> listener.kept.size() == 1);
			await().atMost(WAIT).until(() -> messages[0].response() != null);
			assertThat(messages[0].responses()).containsExactly("FIN");
			assertThat(messages[1].responses()).as("left for the listener").isEmpty();
			listener.kept.get(0).finish();
			assertThat(messages[1].responses()).containsExactly("FIN");
		});
	}

	@Test
	void filterAndInterceptorApplyToEachMessageOfABatch() {
		List<String> calls = new CopyOnWriteArrayList<>();
		this.contextRunner.withUserConfiguration(StringBatches.class)
			.withBean(NsqMessageFilterStrategy.class, () -> (message) -> body(message).equals("b"))
			.withBean(NsqMessageInterceptor.class, () -> new NsqMessageInterceptor() {

				@Override
				public void success(NsqMessage message, NsqMessageListenerContainer container) {
					calls.add("success " + body(message));
				}

				@Override
				public void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
					calls.add("after " + body(message));
				}

			})
			.run((context) -> {
				TestNsqMessage[] messages = deliver(context, "strings", "a", "b", "c", "d");
				assertThat(messages[1].responses()).as("filtered: finished at once").containsExactly("FIN");
				StringBatches listener = context.getBean(StringBatches.class);
				await().atMost(WAIT).until(() -> listener.batches.size() == 1);
				assertThat(listener.batches).containsExactly(List.of("a", "c", "d"));
				await().atMost(WAIT).until(() -> calls.size() == 6);
				assertThat(calls).containsExactly("success a", "success c", "success d", "after a", "after c",
						"after d");
			});
	}

	@Test
	void maxInFlightBelowTheBatchSizeFailsStartupNamingTheListenerAndBothNumbers() {
		this.contextRunner.withUserConfiguration(TooSmallMaxInFlight.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Listener 'tooSmall'")
				.hasStackTraceContaining("max in flight (4) is below the batch size (10)"));
	}

	@Test
	void aBatchTimeoutOfHalfTheMessageTimeoutOrMoreFailsStartup() {
		this.contextRunner.withUserConfiguration(TooLongTimeout.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Listener 'tooLong'")
				.hasStackTraceContaining("batch timeout (PT6S) must be below half of msg_timeout (PT10S)"));
	}

	@Test
	void sendToOnABatchListenerFailsStartup() {
		this.contextRunner.withUserConfiguration(ReplyingBatches.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@SendTo is not supported on batch listeners"));
	}

	private static TestNsqMessage[] deliver(AssertableApplicationContext context, String channel, String... bodies) {
		TestNsqMessage[] messages = new TestNsqMessage[bodies.length];
		for (int i = 0; i < bodies.length; i++) {
			messages[i] = new TestNsqMessage(bodies[i], 1);
			context.getBean(CapturingConsumerFactory.class).deliver("orders", channel, messages[i]);
		}
		return messages;
	}

	private static void awaitAnswered(TestNsqMessage... messages) {
		for (TestNsqMessage message : messages) {
			await().atMost(WAIT).until(() -> message.response() != null);
		}
	}

	private static String body(NsqMessage message) {
		return new String(message.body(), StandardCharsets.UTF_8);
	}

	record Order(String id, int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class StringBatches {

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "strings", batch = "true", maxInFlight = "3", batchTimeout = "10s")
		void onBatch(List<String> bodies) {
			if (bodies.contains("boom")) {
				throw new IllegalStateException("the whole batch failed");
			}
			for (int i = 0; i < bodies.size(); i++) {
				if (bodies.get(i).startsWith("fail")) {
					throw new NsqBatchListenerFailedException("cannot process " + bodies.get(i),
							new IllegalStateException("bad one"), i);
				}
			}
			this.batches.add(List.copyOf(bodies));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TimedBatches {

		final List<List<String>> batches = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "timed", batch = "true", maxInFlight = "10", batchTimeout = "300ms")
		void onBatch(List<String> bodies) {
			this.batches.add(List.copyOf(bodies));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderBatches {

		final List<List<Order>> batches = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "orders", batch = "true", maxInFlight = "3", batchTimeout = "10s")
		void onBatch(List<Order> orders) {
			this.batches.add(List.copyOf(orders));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MessageBatches {

		final List<List<Message<Order>>> batches = new CopyOnWriteArrayList<>();

		final List<String> topics = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "messages", batch = "true", maxInFlight = "2", batchTimeout = "10s")
		void onBatch(List<Message<Order>> orders,
				@org.springframework.messaging.handler.annotation.Header(NsqHeaders.TOPIC) String topic) {
			this.batches.add(List.copyOf(orders));
			this.topics.add(topic);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RawBatches {

		final List<NsqMessage> kept = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "orders", channel = "raw", batch = "true", maxInFlight = "2", batchTimeout = "10s")
		void onBatch(List<NsqMessage> messages) {
			for (NsqMessage message : messages) {
				if (body(message).equals("finish")) {
					message.finish();
				}
				else {
					this.kept.add(message);
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TooSmallMaxInFlight {

		@NsqListener(id = "tooSmall", topic = "orders", channel = "c", batch = "true", batchSize = "10",
				maxInFlight = "4")
		void onBatch(List<String> bodies) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TooLongTimeout {

		@NsqListener(id = "tooLong", topic = "orders", channel = "c", batch = "true", batchTimeout = "6s",
				properties = "msg_timeout=10s")
		void onBatch(List<String> bodies) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReplyingBatches {

		@NsqListener(topic = "orders", channel = "c", batch = "true")
		@SendTo("replies")
		String onBatch(List<String> bodies) {
			return "done";
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

}
