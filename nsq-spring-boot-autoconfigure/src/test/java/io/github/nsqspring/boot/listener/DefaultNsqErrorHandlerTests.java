package io.github.nsqspring.boot.listener;

import java.time.Duration;

import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.consumer.FailedMessageHandler;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

class DefaultNsqErrorHandlerTests {

	private final RecordingRecoverer recoverer = new RecordingRecoverer();

	private final DefaultNsqErrorHandler errorHandler = new DefaultNsqErrorHandler(this.recoverer);

	private final DefaultNsqMessageListenerContainer container = container(3);

	@Test
	void requeuesWithTheConsumersAutomaticDelayBeforeTheLastAttempt() {
		TestNsqMessage message = new TestNsqMessage("x", 2);
		this.errorHandler.handleError(message, new IllegalStateException("boom"), this.container);
		assertThat(message.responses()).containsExactly("REQ");
		assertThat(this.recoverer.cause).isNull();
	}

	@Test
	void recoversAndFinishesAtTheLastAttempt() {
		TestNsqMessage message = new TestNsqMessage("x", 3);
		IllegalStateException boom = new IllegalStateException("boom");
		this.errorHandler.handleError(message, new ListenerExecutionFailedException("listener failed", boom, null),
				this.container);
		assertThat(message.responses()).containsExactly("FIN");
		assertThat(this.recoverer.cause).isSameAs(boom);
		assertThat(this.recoverer.topic).isEqualTo("orders");
		assertThat(this.recoverer.channel).isEqualTo("billing");
	}

	@Test
	void conversionAndValidationFailuresAreRecoveredAtOnce() throws Exception {
		TestNsqMessage converted = new TestNsqMessage("x", 1);
		this.errorHandler.handleError(converted,
				new ListenerExecutionFailedException("failed", new MessageConversionException("bad json"), null),
				this.container);
		assertThat(converted.responses()).containsExactly("FIN");

		TestNsqMessage invalid = new TestNsqMessage("x", 1);
		this.errorHandler.handleError(invalid,
				new MethodArgumentNotValidException(MessageBuilder.withPayload("x").build(),
						new MethodParameter(Object.class.getMethod("equals", Object.class), 0)),
				this.container);
		assertThat(invalid.responses()).containsExactly("FIN");
	}

	@Test
	void addedNotRetryableExceptionsAreRecoveredAtOnce() {
		this.errorHandler.addNotRetryableExceptions(UnsupportedOperationException.class);
		TestNsqMessage message = new TestNsqMessage("x", 1);
		this.errorHandler.handleError(message, new UnsupportedOperationException(), this.container);
		assertThat(message.responses()).containsExactly("FIN");
	}

	@Test
	void zeroMaxAttemptsNeverRecovers() {
		TestNsqMessage message = new TestNsqMessage("x", 1000);
		this.errorHandler.handleError(message, new IllegalStateException(), container(0));
		assertThat(message.responses()).containsExactly("REQ");
	}

	@Test
	void requeuesInsteadOfFinishingWhenTheRecovererFails() {
		DefaultNsqErrorHandler failing = new DefaultNsqErrorHandler((message, topic, channel, cause) -> {
			throw new IllegalStateException("dead letter topic unreachable");
		});
		TestNsqMessage message = new TestNsqMessage("x", 3);
		failing.handleError(message, new IllegalStateException(), this.container);
		assertThat(message.responses()).containsExactly("REQ");
	}

	@Test
	void aFailedRecoveryIsCountedByTheContainer() {
		DefaultNsqErrorHandler failing = new DefaultNsqErrorHandler((message, topic, channel, cause) -> {
			throw new IllegalStateException("dead letter topic unreachable");
		});
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DefaultNsqMessageListenerContainer container = container(3);
		NsqListenerMetrics metrics = MicrometerNsqListenerMetrics.factory(meters)
			.create("billing", "orders", "billing");
		ReflectionTestUtils.setField(container, "metrics", metrics);
		failing.handleError(new TestNsqMessage("x", 3), new IllegalStateException(), container);
		assertThat(container.getRecoveryFailureCount()).isOne();
		assertThat(meters.get(MicrometerNsqListenerMetrics.RECOVERY_FAILURES).counter().count()).isOne();
	}

	@Test
	void anExhaustedMessageWhoseRecovererFailsIsRequeuedWithBackoffNotFinished() {
		DefaultNsqErrorHandler failing = new DefaultNsqErrorHandler((message, topic, channel, cause) -> {
			throw new IllegalStateException("dead letter topic unreachable");
		});
		TestNsqMessage message = new TestNsqMessage("x", 4);
		failing.handleExhausted(message, this.container);
		assertThat(message.responses()).containsExactly("REQ");
		assertThat(this.container.getRecoveryFailureCount()).isOne();
	}

	@Test
	void anExhaustedMessageIsRequeuedWhenTheErrorHandlerItselfThrows() throws Exception {
		CapturingConsumerFactory consumers = new CapturingConsumerFactory();
		NsqContainerProperties properties = new NsqContainerProperties("orders", "billing");
		properties.setMessageListener((message) -> {
		});
		properties.setErrorHandler(new NsqErrorHandler() {

			@Override
			public void handleError(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
			}

			@Override
			public void handleExhausted(NsqMessage message, NsqMessageListenerContainer container) {
				throw new IllegalStateException("cannot recover");
			}

		});
		DefaultNsqMessageListenerContainer container = new DefaultNsqMessageListenerContainer(consumers, properties);
		container.start();
		try {
			FailedMessageHandler exhausted = (FailedMessageHandler) ReflectionTestUtils
				.getField(consumers.builder("orders", "billing"), "failedMessageHandler");
			TestNsqMessage message = new TestNsqMessage("x", 6);
			exhausted.onFailedMessage(message);
			assertThat(message.responses()).as("the consumer's FIN afterwards is ignored").containsExactly("REQ");
			assertThat(container.getRecoveryFailureCount()).isOne();
		}
		finally {
			container.stop();
		}
	}

	@Test
	void backOffGivesTheRequeueDelayAndStopsRetrying() {
		this.errorHandler.setBackOff(new FixedBackOff(250, 1));
		TestNsqMessage first = new TestNsqMessage("x", 1);
		this.errorHandler.handleError(first, new IllegalStateException(), this.container);
		assertThat(first.responses()).containsExactly("REQ 250");
		TestNsqMessage second = new TestNsqMessage("x", 2);
		this.errorHandler.handleError(second, new IllegalStateException(), this.container);
		assertThat(second.responses()).containsExactly("FIN");
	}

	@Test
	void exhaustedMessagesGoToTheRecoverer() {
		TestNsqMessage message = new TestNsqMessage("x", 4);
		this.errorHandler.handleExhausted(message, this.container);
		assertThat(this.recoverer.cause).hasMessageContaining("more than max attempts (3)");
		assertThat(message.responses()).isEmpty();
	}

	@Test
	void deadLetterRecovererPublishesTheBodyUnchangedToTopicDotDlq() {
		NsqProducer producer = mock(NsqProducer.class);
		given(producer.publish(any(), any())).willReturn(new PublishResult("127.0.0.1:4150", "orders.dlq", 1));
		DeadLetterPublishingRecoverer deadLetter = new DeadLetterPublishingRecoverer(new NsqTemplate(producer));
		TestNsqMessage message = new TestNsqMessage("{\"id\":1}", 3);
		new DefaultNsqErrorHandler(deadLetter).handleError(message, new IllegalStateException(), this.container);
		then(producer).should().publish(eq("orders.dlq"), eq(message.body()));
		assertThat(message.responses()).containsExactly("FIN");
	}

	private static DefaultNsqMessageListenerContainer container(int maxAttempts) {
		NsqContainerProperties properties = new NsqContainerProperties("orders", "billing");
		properties.setMaxAttempts(maxAttempts);
		return new DefaultNsqMessageListenerContainer(mock(NsqConsumerFactory.class), properties);
	}

	static class RecordingRecoverer implements NsqMessageRecoverer {

		String topic;

		String channel;

		Throwable cause;

		@Override
		public void recover(io.github.nsqspring.core.consumer.NsqMessage message, String topic, String channel,
				Throwable cause) {
			this.topic = topic;
			this.channel = channel;
			this.cause = cause;
		}

	}

}
