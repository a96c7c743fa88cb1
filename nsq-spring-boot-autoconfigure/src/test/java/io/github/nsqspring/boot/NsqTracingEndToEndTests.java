package io.github.nsqspring.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.test.TestTracing;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.support.MessageBuilder;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A trace started at {@code NsqTemplate.send} continues in the {@code @NsqListener}, with
 * the envelope on, through a real producer, an embedded nsqd and nsqlookupd; a raw
 * message from the core producer still reaches the same listener; dead letters carry the
 * failure and the trace as envelope headers; publish meters and observations after real
 * traffic.
 */
@SpringBootTest(classes = NsqTracingEndToEndTests.App.class,
		properties = { "nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0",
				"nsq.consumer.default-requeue-delay=50ms", "nsq.consumer.backoff.multiplier=10ms",
				"nsq.envelope.enabled=true", "nsq.template.observation-enabled=true",
				"nsq.listener.observation-enabled=true", "nsq.listener.dead-letter.enabled=true" })
@EmbeddedNsq(lookupd = true)
class NsqTracingEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private NsqTemplate template;

	@Autowired
	private NsqProducer producer;

	@Autowired
	private TestTracing tracing;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private App app;

	@Test
	void traceIdInTheListenerIsTheOneActiveAtSendAndRawMessagesStillArrive() {
		String sentTraceId = sendInNewTrace("trace-orders",
				MessageBuilder.withPayload("enveloped").setHeader("tenant", "acme").build());
		await().atMost(WAIT).until(() -> this.app.received.containsKey("enveloped"));
		assertThat(this.app.received.get("enveloped")).isEqualTo(sentTraceId + "|acme");

		// a raw body, as a producer in another language (or the core producer) sends it
		this.producer.publish("trace-orders", "raw".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> this.app.received.containsKey("raw"));
		assertThat(this.app.received.get("raw")).doesNotStartWith(sentTraceId).endsWith("|null");

		assertThat(this.tracing.registry()).hasAnObservation((observation) -> observation.hasNameEqualTo("nsq.template")
			.hasContextualNameEqualTo("publish trace-orders")
			.hasLowCardinalityKeyValue("messaging.destination.name", "trace-orders")
			.hasLowCardinalityKeyValue("messaging.operation", "publish")
			.hasLowCardinalityKeyValue("nsq.template.name", "nsqTemplate")
			.doesNotHaveError());
		assertThat(this.meters.get("nsq.publish").tags("topic", "trace-orders", "result", "success").timer().count())
			.isEqualTo(1);
		assertThat(this.meters.get("nsq.publish.messages")
			.tags("topic", "trace-orders", "result", "success")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void deadLettersCarryTheFailureAndTheTraceInTheEnvelope() {
		String sentTraceId = sendInNewTrace("trace-fail", MessageBuilder.withPayload("poison").build());
		await().atMost(WAIT).until(() -> !this.app.deadLetters.isEmpty());
		Map<String, Object> headers = this.app.deadLetters.get(0);
		assertThat(headers).containsEntry(NsqHeaders.DLT_EXCEPTION_CLASS, IllegalStateException.class.getName())
			.containsEntry(NsqHeaders.DLT_EXCEPTION_MESSAGE, "cannot process poison")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_TOPIC, "trace-fail")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_CHANNEL, "test")
			.containsEntry(NsqHeaders.DLT_ATTEMPTS, "1")
			.containsKey(NsqHeaders.DLT_ORIGINAL_ID);
		assertThat((String) headers.get(TestTracing.TRACEPARENT)).startsWith("00-" + sentTraceId + "-");
		assertThat(headers).containsEntry("payload", "poison");
	}

	private String sendInNewTrace(String topic, org.springframework.messaging.Message<?> message) {
		Observation parent = Observation.start("test.request", this.tracing.registry());
		try (Observation.Scope scope = parent.openScope()) {
			String traceId = this.tracing.currentTraceId();
			assertThat(traceId).isNotNull();
			this.template.send(topic, message);
			return traceId;
		}
		finally {
			parent.stop();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final Map<String, String> received = new ConcurrentHashMap<>();

		final List<Map<String, Object>> deadLetters = new CopyOnWriteArrayList<>();

		private final TestTracing tracing = new TestTracing();

		@Bean
		TestTracing testTracing() {
			return this.tracing;
		}

		@Bean
		ObservationRegistry observationRegistry() {
			return this.tracing.registry();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@NsqListener(topic = "trace-orders", channel = "test")
		void orders(String body, @Header(name = "tenant", required = false) @Nullable String tenant) {
			this.received.put(body, this.tracing.currentTraceId() + "|" + tenant);
		}

		@NsqListener(topic = "trace-fail", channel = "test", maxAttempts = "1")
		void failing(String body) {
			throw new IllegalStateException("cannot process " + body);
		}

		@NsqListener(topic = "trace-fail.dlq", channel = "test")
		void deadLetter(String body, @Headers Map<String, Object> headers) {
			Map<String, Object> copy = new ConcurrentHashMap<>(headers);
			copy.put("payload", body);
			this.deadLetters.add(copy);
		}

	}

}
