package io.github.nsqspring.boot.listener;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.metrics.MicrometerNsqTemplateMetrics;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.messaging.converter.MessageConversionException;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Dead letters published through NsqTemplate (against a mocked producer).
 */
class DeadLetterPublishingRecovererTests {

	private final NsqProducer producer = mock(NsqProducer.class);

	private final NsqTemplate template = new NsqTemplate(this.producer);

	private final DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(this.template);

	@BeforeEach
	void answerOk() {
		given(this.producer.publish(anyString(), any()))
			.willAnswer((invocation) -> new PublishResult("127.0.0.1:4150", invocation.getArgument(0), 1));
	}

	@Test
	void withTheEnvelopeOffTheDeadLetterIsTheOriginalPayload() throws Exception {
		TestNsqMessage message = new TestNsqMessage("raw", 5);
		this.recoverer.recover(message, "orders", "billing", new IllegalStateException("boom"));
		then(this.producer).should().publish("orders.dlq", message.body());
	}

	@Test
	void withTheEnvelopeOnTheOriginalHeadersAndTheFailureTravel() throws Exception {
		this.template.setEnvelopeEnabled(true);
		byte[] original = NsqEnvelope.encode(
				Map.of("traceparent", "00-abc-def-01", NsqHeaders.TYPE, "com.example.Order"),
				"payload".getBytes(StandardCharsets.UTF_8));
		TestNsqMessage message = new TestNsqMessage(original, 3);
		this.recoverer.recover(message, "orders", "billing",
				new ListenerExecutionFailedException("listener failed", new IllegalStateException("boom"), null));
		NsqEnvelope deadLetter = NsqEnvelope.decode(published("orders.dlq"));
		assertThat(deadLetter.getPayload()).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
		assertThat(deadLetter.getHeaders()).containsEntry("traceparent", "00-abc-def-01")
			.containsEntry(NsqHeaders.TYPE, "com.example.Order")
			.containsEntry(NsqHeaders.DLT_EXCEPTION_CLASS, IllegalStateException.class.getName())
			.containsEntry(NsqHeaders.DLT_EXCEPTION_MESSAGE, "boom")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_TOPIC, "orders")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_CHANNEL, "billing")
			.containsEntry(NsqHeaders.DLT_ATTEMPTS, "3")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_ID, message.idText());
	}

	@Test
	void deadLettersAreObservedAndMeteredByTheTemplate() throws Exception {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.template.setMetrics(new MicrometerNsqTemplateMetrics(meters));
		this.template.setObservationRegistry(observations);
		this.template.setObservationEnabled(true);
		this.recoverer.recover(new TestNsqMessage("raw", 5), "orders", "billing", new IllegalStateException());
		assertThat(
				meters.get("nsq.publish.messages").tags("topic", "orders.dlq", "result", "success").counter().count())
			.isEqualTo(1);
		assertThat(observations).hasObservationWithNameEqualTo("nsq.template")
			.that()
			.hasLowCardinalityKeyValue("messaging.destination.name", "orders.dlq");
	}

	@Test
	void destinationResolverSeesTheFailedMessageAndTheListenersException() throws Exception {
		AtomicReference<NsqMessage> seen = new AtomicReference<>();
		this.recoverer.setDestinationResolver((message, topic, channel, cause) -> {
			seen.set(message);
			return (cause instanceof MessageConversionException) ? topic + "." + channel + ".unreadable"
					: topic + ".dlq";
		});
		TestNsqMessage unreadable = new TestNsqMessage("not json", 1);
		this.recoverer.recover(unreadable, "orders", "billing",
				new ListenerExecutionFailedException("failed", new MessageConversionException("bad json"), null));
		then(this.producer).should().publish("orders.billing.unreadable", unreadable.body());
		assertThat(seen).hasValue(unreadable);
		this.recoverer.recover(new TestNsqMessage("x", 5), "orders", "billing", new IllegalStateException());
		then(this.producer).should().publish(eq("orders.dlq"), any());
	}

	@Test
	void suffixNamesTheDefaultDestination() {
		DeadLetterPublishingRecoverer custom = new DeadLetterPublishingRecoverer(this.template, "_dead");
		assertThat(
				custom.resolveDestination(new TestNsqMessage("x", 1), "orders", "billing", new IllegalStateException()))
			.isEqualTo("orders_dead");
	}

	@Test
	void failedPublishThrowsSoTheMessageIsRequeuedNotLost() {
		given(this.producer.publish(eq("orders.dlq"), any())).willThrow(new NsqConnectionException("nsqd down"));
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> this.recoverer
			.recover(new TestNsqMessage("x", 5), "orders", "billing", new IllegalStateException()));
	}

	@Test
	void invalidDestinationFailsNamingIt() {
		this.recoverer.setDestinationResolver((message, topic, channel, cause) -> "bad topic!");
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> this.recoverer.recover(new TestNsqMessage("x", 5), "orders", "billing",
					new IllegalStateException()))
			.withMessageContaining("bad topic!");
	}

	private byte[] published(String topic) {
		ArgumentCaptor<byte[]> body = ArgumentCaptor.forClass(byte[].class);
		then(this.producer).should().publish(eq(topic), body.capture());
		return body.getValue();
	}

}
