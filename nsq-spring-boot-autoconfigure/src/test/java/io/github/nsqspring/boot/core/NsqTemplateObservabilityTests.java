package io.github.nsqspring.boot.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.boot.metrics.MicrometerNsqTemplateMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.boot.observation.NsqMessageSenderContext;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.TestTracing;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * NsqTemplate's envelope, observation and metrics, against a mocked producer.
 */
class NsqTemplateObservabilityTests {

	private final NsqProducer producer = mock(NsqProducer.class);

	private final NsqTemplate template = new NsqTemplate(this.producer, DefaultNsqMessageConverter.create());

	@BeforeEach
	void answerOk() {
		given(this.producer.publishAsync(anyString(), any()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), 1));
		given(this.producer.multiPublishAsync(anyString(), anyList()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), invocation.<List<?>>getArgument(1).size()));
		given(this.producer.publish(anyString(), any()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), 1).join());
		given(this.producer.multiPublish(anyString(), anyList())).willAnswer(
				(invocation) -> done(invocation.getArgument(0), invocation.<List<?>>getArgument(1).size()).join());
		this.template.setBeanName("ordersTemplate");
	}

	@Test
	void withoutEnvelopeBodiesAreRawAndHeadersAreDropped() {
		this.template.send("orders", MessageBuilder.withPayload("raw").setHeader("tenant", "acme").build());
		assertThat(published("orders")).containsExactly("raw".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void envelopeCarriesTextHeadersOfMessages() {
		this.template.setEnvelopeEnabled(true);
		UUID uuid = UUID.randomUUID();
		this.template.send("orders",
				MessageBuilder.withPayload("hello")
					.setHeader("tenant", "acme")
					.setHeader("priority", 7)
					.setHeader("uuid", uuid)
					.setHeader("contentType", MimeTypeUtils.TEXT_PLAIN)
					.setHeader("unsupported", new Object())
					.setHeader(NsqHeaders.ATTEMPTS, 3)
					.setHeader(NsqHeaders.TOPIC, "received-from")
					.setHeader(NsqHeaders.DLT_ORIGINAL_TOPIC, "orders")
					.build());
		NsqEnvelope envelope = NsqEnvelope.decode(published("orders"));
		assertThat(envelope.getPayload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
		// the NSQ headers of a received message stay behind; dead-letter details travel
		assertThat(envelope.getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "priority", "7",
				"uuid", uuid.toString(), "contentType", "text/plain", NsqHeaders.DLT_ORIGINAL_TOPIC, "orders"));
	}

	@Test
	void envelopeCarriesTheTypeOfJsonPayloads() {
		this.template.setEnvelopeEnabled(true);
		this.template.send("orders", new Order("A-1"));
		this.template.send("texts", MessageBuilder.withPayload("plain").setHeader(NsqHeaders.TYPE, "stale").build());
		NsqEnvelope order = NsqEnvelope.decode(published("orders"));
		assertThat(order.getHeaders()).containsEntry(NsqHeaders.TYPE, Order.class.getName());
		assertThat(new String(order.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"A-1\"}");
		// raw payloads have no type of their own: a forwarded hint describes the bytes
		assertThat(NsqEnvelope.decode(published("texts")).getHeaders()).containsEntry(NsqHeaders.TYPE, "stale");
	}

	@Test
	void withoutEnvelopeNoTypeHintIsWritten() {
		this.template.send("orders", new Order("A-1"));
		assertThat(new String(published("orders"), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"A-1\"}");
	}

	@Test
	void asynchronousSendsAreObservedAndMeteredWhenNsqdAnswers() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.template.setMetrics(new MicrometerNsqTemplateMetrics(meters));
		this.template.setObservationRegistry(registry);
		this.template.setObservationEnabled(true);
		CompletableFuture<PublishResult> pending = new CompletableFuture<>();
		given(this.producer.publishAsync(eq("later"), any())).willReturn(pending);
		CompletableFuture<NsqSendResult> sent = this.template.sendAsync("later", "x");
		assertThat(meters.find("nsq.publish").timers()).isEmpty();
		pending.complete(new PublishResult("127.0.0.1:4150", "later", 1));
		sent.join();
		assertThat(meters.get("nsq.publish").tags("topic", "later", "result", "success").timer().count()).isEqualTo(1);
		assertThat(registry).hasObservationWithNameEqualTo("nsq.template").that().hasBeenStopped();
	}

	@Test
	void aTemplateBeanTheApplicationBuildsTakesTheContextsRegistryWhenItsObservationIsOn() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		given(this.producer.publish(anyString(), any())).willReturn(new PublishResult("127.0.0.1:4150", "built", 1));
		new ApplicationContextRunner().withBean(ObservationRegistry.class, () -> registry)
			.withBean("observedTemplate", NsqTemplate.class, () -> {
				NsqTemplate built = new NsqTemplate(this.producer, DefaultNsqMessageConverter.create());
				built.setObservationEnabled(true);
				return built;
			})
			.withBean("unobservedTemplate", NsqTemplate.class,
					() -> new NsqTemplate(this.producer, DefaultNsqMessageConverter.create()))
			.run((context) -> {
				context.getBean("unobservedTemplate", NsqTemplate.class).send("built", "quiet");
				assertThat(registry).doesNotHaveAnyObservation();
				context.getBean("observedTemplate", NsqTemplate.class).send("built", "x");
				assertThat(registry).hasObservationWithNameEqualTo("nsq.template").that().hasBeenStopped();
			});
	}

	@Test
	void envelopeWrapsEveryMessageOfABatch() {
		this.template.setEnvelopeEnabled(true);
		this.template.sendBatch("orders", List.of("a", MessageBuilder.withPayload("b").setHeader("k", "v").build()));
		ArgumentCaptor<List<byte[]>> bodies = ArgumentCaptor.captor();
		then(this.producer).should().multiPublish(eq("orders"), bodies.capture());
		assertThat(NsqEnvelope.decode(bodies.getValue().get(0)).getHeaders()).isEmpty();
		assertThat(NsqEnvelope.decode(bodies.getValue().get(0)).getPayload()).isEqualTo(new byte[] { 'a' });
		assertThat(NsqEnvelope.decode(bodies.getValue().get(1)).getHeaders())
			.containsExactlyEntriesOf(Map.of("k", "v"));
	}

	@Test
	void metricsCountMessagesAndTimeEachSendPerTopicAndResult() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.template.setMetrics(new MicrometerNsqTemplateMetrics(meters));
		this.template.send("orders", "one");
		this.template.sendBatch("orders", List.of("two", "three"));
		given(this.producer.publish(eq("broken"), any())).willThrow(new NsqConnectionException("nsqd down"));
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> this.template.send("broken", "x"));
		assertThat(meters.get("nsq.publish.messages").tags("topic", "orders", "result", "success").counter().count())
			.isEqualTo(3);
		assertThat(meters.get("nsq.publish").tags("topic", "orders", "result", "success").timer().count()).isEqualTo(2);
		assertThat(meters.get("nsq.publish.messages").tags("topic", "broken", "result", "failure").counter().count())
			.isEqualTo(1);
		assertThat(meters.get("nsq.publish").tags("topic", "broken", "result", "failure").timer().count()).isEqualTo(1);
	}

	@Test
	void observationOfEachSendWithMessagingTags() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.template.setObservationRegistry(registry);
		this.template.setObservationEnabled(true);
		this.template.sendBatch("orders", List.of("a", "b"));
		assertThat(registry).hasObservationWithNameEqualTo("nsq.template")
			.that()
			.hasContextualNameEqualTo("publish orders")
			.hasLowCardinalityKeyValue("messaging.system", "nsq")
			.hasLowCardinalityKeyValue("messaging.operation", "publish")
			.hasLowCardinalityKeyValue("messaging.destination.name", "orders")
			.hasLowCardinalityKeyValue("nsq.template.name", "ordersTemplate")
			.hasHighCardinalityKeyValue("messaging.batch.message_count", "2")
			.hasBeenStarted()
			.hasBeenStopped();
	}

	@Test
	void failedSendIsAnObservationWithItsError() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.template.setObservationRegistry(registry);
		this.template.setObservationEnabled(true);
		given(this.producer.publish(eq("broken"), any())).willThrow(new NsqConnectionException("nsqd down"));
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> this.template.send("broken", "x"));
		assertThat(registry).hasObservationWithNameEqualTo("nsq.template")
			.that()
			.hasError()
			.assertThatError()
			.isInstanceOf(NsqConnectionException.class);
	}

	@Test
	void noObservationUnlessEnabled() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.template.setObservationRegistry(registry);
		this.template.send("orders", "x");
		assertThat(registry).doesNotHaveAnyObservation();
	}

	@Test
	void userConventionReplacesTheDefault() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.template.setObservationRegistry(registry);
		this.template.setObservationEnabled(true);
		this.template.setObservationConvention(new DefaultNsqTemplateObservationConvention() {
			@Override
			public KeyValues getLowCardinalityKeyValues(NsqMessageSenderContext context) {
				return super.getLowCardinalityKeyValues(context).and("team", "billing");
			}
		});
		this.template.send("orders", "x");
		assertThat(registry).hasObservationWithNameEqualTo("nsq.template")
			.that()
			.hasLowCardinalityKeyValue("team", "billing")
			.hasLowCardinalityKeyValue("messaging.destination.name", "orders");
	}

	@Test
	void traceContextOfTheSendGoesIntoTheEnvelope() {
		TestTracing tracing = new TestTracing();
		this.template.setObservationRegistry(tracing.registry());
		this.template.setObservationEnabled(true);
		this.template.setEnvelopeEnabled(true);
		Observation parent = Observation.start("test.parent", tracing.registry());
		String traceId;
		try (Observation.Scope scope = parent.openScope()) {
			traceId = tracing.currentTraceId();
			this.template.send("orders",
					MessageBuilder.withPayload("x").setHeader(TestTracing.TRACEPARENT, "00-stale-stale-01").build());
		}
		finally {
			parent.stop();
		}
		String traceparent = NsqEnvelope.decode(published("orders")).getHeaders().get(TestTracing.TRACEPARENT);
		assertThat(traceId).isNotNull();
		assertThat(traceparent).startsWith("00-" + traceId + "-");
	}

	private byte[] published(String topic) {
		ArgumentCaptor<byte[]> body = ArgumentCaptor.forClass(byte[].class);
		then(this.producer).should().publish(eq(topic), body.capture());
		return body.getValue();
	}

	private static CompletableFuture<PublishResult> done(String topic, int count) {
		return CompletableFuture.completedFuture(new PublishResult("127.0.0.1:4150", topic, count));
	}

	record Order(String id) {
	}

}
