package io.github.nsqspring.boot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.EnableNsq;
import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.core.NsqSendResult;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * {@code @SendTo} on listener methods: where replies go, what they carry, and what a
 * failed reply does to the request.
 */
class ListenerReplyTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class, RecordingTemplate.class, Replies.class)
		.withPropertyValues("app.reply-topic=from-placeholder");

	@Test
	void theReturnValueIsPublishedToTheSendToTopicBeforeTheRequestIsFinished() {
		this.contextRunner.run((context) -> {
			TestNsqMessage request = new TestNsqMessage("hello", 1);
			deliver(context, "static", request);
			RecordingTemplate template = context.getBean(RecordingTemplate.class);
			assertThat(template.sent).singleElement().satisfies((sent) -> {
				assertThat(sent.topic()).isEqualTo("replies");
				assertThat(sent.message().getPayload()).isEqualTo("HELLO");
				assertThat(sent.message().getHeaders()).containsEntry(NsqHeaders.CORRELATION_ID, request.idText())
					.containsEntry(NsqHeaders.REQUEST_MESSAGE_ID, request.idText());
				assertThat(sent.requestAnsweredWhenSent()).as("published before the request is finished").isFalse();
			});
			assertThat(request.responses()).containsExactly("FIN");
		});
	}

	@Test
	void placeholdersAndRuntimeExpressionsNameTheReplyTopic() {
		this.contextRunner.run((context) -> {
			deliver(context, "placeholder", new TestNsqMessage("a", 1));
			deliver(context, "expression", new TestNsqMessage("b", 1));
			assertThat(context.getBean(RecordingTemplate.class).sent).extracting(Sent::topic)
				.containsExactly("from-placeholder", "orders.expression.B");
		});
	}

	@Test
	void theRequestsReplyTopicHeaderWinsAndItsCorrelationIdIsKept() {
		this.contextRunner.run((context) -> {
			byte[] enveloped = NsqEnvelope.encode(
					Map.of(NsqHeaders.REPLY_TOPIC, "client-7.replies", NsqHeaders.CORRELATION_ID, "req-42"),
					"hi".getBytes(StandardCharsets.UTF_8));
			deliver(context, "static", new TestNsqMessage(enveloped, 1));
			assertThat(context.getBean(RecordingTemplate.class).sent).singleElement().satisfies((sent) -> {
				assertThat(sent.topic()).isEqualTo("client-7.replies");
				assertThat(sent.message().getHeaders()).containsEntry(NsqHeaders.CORRELATION_ID, "req-42");
			});
		});
	}

	@Test
	void anEmptySendToTakesTheTopicFromTheRequestOnly() {
		this.contextRunner.run((context) -> {
			byte[] enveloped = NsqEnvelope.encode(Map.of(NsqHeaders.REPLY_TOPIC, "answers"),
					"q".getBytes(StandardCharsets.UTF_8));
			deliver(context, "header-only", new TestNsqMessage(enveloped, 1));
			assertThat(context.getBean(RecordingTemplate.class).sent).extracting(Sent::topic)
				.containsExactly("answers");

			TestNsqMessage withoutHeader = new TestNsqMessage("q", 1);
			deliver(context, "header-only", withoutHeader);
			assertThat(withoutHeader.responses()).as("no reply topic: a listener failure").containsExactly("REQ");
		});
	}

	@Test
	void aReturnedMessageKeepsItsHeaders() {
		this.contextRunner.run((context) -> {
			deliver(context, "message", new TestNsqMessage("m", 1));
			assertThat(context.getBean(RecordingTemplate.class).sent).singleElement().satisfies((sent) -> {
				assertThat(sent.message().getPayload()).isEqualTo("m!");
				assertThat(sent.message().getHeaders()).containsEntry("custom", "value")
					.containsEntry(NsqHeaders.CORRELATION_ID, "mine");
			});
		});
	}

	@Test
	void nullOrVoidPublishesNothing() {
		this.contextRunner.run((context) -> {
			TestNsqMessage request = new TestNsqMessage("nothing", 1);
			deliver(context, "static", request);
			assertThat(context.getBean(RecordingTemplate.class).sent).isEmpty();
			assertThat(request.responses()).containsExactly("FIN");
		});
	}

	@Test
	void anAsynchronousResultIsAwaitedBeforeTheReplyAndTheAnswer() {
		this.contextRunner.run((context) -> {
			TestNsqMessage request = new TestNsqMessage("later", 1);
			deliver(context, "async", request);
			assertThat(context.getBean(RecordingTemplate.class).sent).singleElement().satisfies((sent) -> {
				assertThat(sent.message().getPayload()).isEqualTo("LATER");
				assertThat(sent.requestAnsweredWhenSent()).isFalse();
			});
			assertThat(request.responses()).containsExactly("FIN");

			TestNsqMessage failing = new TestNsqMessage("fail", 1);
			deliver(context, "async", failing);
			assertThat(failing.responses()).as("completed exceptionally: a listener failure").containsExactly("REQ");
		});
	}

	@Test
	void aFailedReplyRequeuesTheRequest() {
		this.contextRunner.run((context) -> {
			context.getBean(RecordingTemplate.class).failing = true;
			TestNsqMessage request = new TestNsqMessage("hello", 1);
			deliver(context, "static", request);
			assertThat(request.responses()).as("requeued with backoff, not finished").containsExactly("REQ");
		});
	}

	@Test
	void withoutAnNsqOperationsBeanStartupFailsWithAClearMessage() {
		new ApplicationContextRunner().withUserConfiguration(WithoutTemplate.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@SendTo publishes replies through an NsqOperations bean")
				.hasStackTraceContaining("there is none"));
	}

	@Test
	void theAutoConfiguredTemplateIsUsedWhenNoOtherExists() {
		NsqProducer producer = mock(NsqProducer.class);
		given(producer.publish(anyString(), any())).willReturn(new PublishResult("127.0.0.1:4150", "replies", 1));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
			.withBean(NsqProducer.class, () -> producer)
			.withUserConfiguration(CapturingConsumerConfiguration.class, Replies.class)
			.withPropertyValues("app.reply-topic=x")
			.run((context) -> {
				TestNsqMessage request = new TestNsqMessage("hello", 1);
				deliver(context, "static", request);
				then(producer).should().publish("replies", "HELLO".getBytes(StandardCharsets.UTF_8));
				assertThat(request.responses()).containsExactly("FIN");
			});
	}

	private static void deliver(AssertableApplicationContext context, String channel, TestNsqMessage message) {
		RecordingTemplate.delivering.set(message);
		try {
			context.getBean(CapturingConsumerFactory.class).deliver("orders", channel, message);
		}
		finally {
			RecordingTemplate.delivering.remove();
		}
	}

	record Sent(String topic, Message<?> message, boolean requestAnsweredWhenSent) {
	}

	/**
	 * An NsqOperations bean (so the auto-configured template backs off) that records
	 * replies.
	 */
	static class RecordingTemplate implements NsqOperations {

		/** The request being delivered on this thread. */
		static final ThreadLocal<TestNsqMessage> delivering = new ThreadLocal<>();

		final List<Sent> sent = new CopyOnWriteArrayList<>();

		volatile boolean failing;

		@Override
		public NsqSendResult send(String topic, Message<?> message) {
			if (this.failing) {
				throw new NsqConnectionException("nsqd is down");
			}
			TestNsqMessage request = delivering.get();
			this.sent.add(new Sent(topic, message, request != null && request.hasResponded()));
			return new NsqSendResult(topic, 1, "127.0.0.1:4150");
		}

		@Override
		public NsqSendResult send(String topic, Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public NsqSendResult send(Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<NsqSendResult> sendAsync(String topic, Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<NsqSendResult> sendAsync(Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<NsqSendResult> sendAsync(String topic, Message<?> message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public NsqSendResult sendDeferred(String topic, Object payload, Duration delay) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<NsqSendResult> sendDeferredAsync(String topic, Object payload, Duration delay) {
			throw new UnsupportedOperationException();
		}

		@Override
		public NsqSendResult sendBatch(String topic, Collection<?> payloads) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<NsqSendResult> sendBatchAsync(String topic, Collection<?> payloads) {
			throw new UnsupportedOperationException();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Replies {

		@NsqListener(topic = "orders", channel = "static")
		@SendTo("replies")
		String upperCase(String body) {
			return body.equals("nothing") ? null : body.toUpperCase();
		}

		@NsqListener(topic = "orders", channel = "placeholder")
		@SendTo("${app.reply-topic}")
		String placeholder(String body) {
			return body;
		}

		@NsqListener(topic = "orders", channel = "expression")
		@SendTo("!{request.headers['nsq_topic'] + '.' + request.headers['nsq_channel'] + '.' + result}")
		String expression(String body) {
			return body.toUpperCase();
		}

		@NsqListener(topic = "orders", channel = "async")
		@SendTo("replies")
		CompletableFuture<String> async(String body) {
			return CompletableFuture.supplyAsync(() -> {
				if (body.equals("fail")) {
					throw new IllegalStateException("async failure");
				}
				return body.toUpperCase();
			});
		}

		@NsqListener(topic = "orders", channel = "header-only")
		@SendTo
		String headerOnly(String body) {
			return "answer";
		}

		@NsqListener(topic = "orders", channel = "message")
		@SendTo("replies")
		Message<String> message(String body) {
			return MessageBuilder.withPayload(body + "!")
				.setHeader("custom", "value")
				.setHeader(NsqHeaders.CORRELATION_ID, "mine")
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableNsq
	static class WithoutTemplate {

		@Bean
		ConcurrentNsqListenerContainerFactory nsqListenerContainerFactory() {
			return new ConcurrentNsqListenerContainerFactory(new CapturingConsumerFactory());
		}

		@NsqListener(topic = "orders", channel = "c")
		@SendTo("replies")
		String onMessage(String body) {
			return body;
		}

	}

}
