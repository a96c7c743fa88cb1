package io.github.nsqspring.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.event.ConnectionLostEvent;
import io.github.nsqspring.boot.event.ConnectionRestoredEvent;
import io.github.nsqspring.boot.event.ConsumerIdleEvent;
import io.github.nsqspring.boot.event.ConsumerNoLongerIdleEvent;
import io.github.nsqspring.boot.event.NsqEvent;
import io.github.nsqspring.boot.health.NsqHealthIndicator;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.TestTracing;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener-side observability end to end through an embedded nsqd and nsqlookupd:
 * messages are put on nsqd directly, as another language's producer would publish them
 * (raw bodies, or bodies a foreign producer wrapped in the envelope), and the listener's
 * observations, meters, events and the health indicator are checked. Each scenario has
 * its own topic.
 */
@SpringBootTest(classes = NsqObservabilityEndToEndTests.App.class,
		properties = { "nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0",
				"nsq.consumer.default-requeue-delay=50ms", "nsq.consumer.backoff.multiplier=10ms",
				"nsq.consumer.max-in-flight=5", "nsq.listener.observation-enabled=true",
				"nsq.listener.idle-event-interval=300ms" })
@EmbeddedNsq(lookupd = true)
class NsqObservabilityEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private App app;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Autowired
	private TestTracing tracing;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private NsqHealthIndicator health;

	@Test
	void rawAndEnvelopedMessagesReachTheSameListener() {
		publish("obs-mixed", "raw body".getBytes(StandardCharsets.UTF_8));
		publish("obs-mixed", NsqEnvelope.encode(Map.of("tenant", "acme"), "wrapped".getBytes(StandardCharsets.UTF_8)));
		await().atMost(WAIT).until(() -> this.app.mixed.size() == 2);
		assertThat(this.app.mixed).containsExactlyInAnyOrder("raw body|null", "wrapped|acme");
	}

	@Test
	void listenerContinuesTheTraceCarriedByTheEnvelope() {
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		publish("obs-traced",
				NsqEnvelope.encode(Map.of(TestTracing.TRACEPARENT, "00-" + traceId + "-b7ad6b7169203331-01"),
						"traced".getBytes(StandardCharsets.UTF_8)));
		publish("obs-traced", "untraced".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> this.app.traced.size() == 2);
		assertThat(this.app.traced).contains("traced|" + traceId);
		String untraced = this.app.traced.stream().filter((s) -> s.startsWith("untraced|")).findFirst().orElseThrow();
		assertThat(untraced).isNotEqualTo("untraced|null").doesNotContain(traceId);
	}

	@Test
	void deliveriesAreObservedWithMessagingTags() {
		publish("obs-observed", "x".getBytes(StandardCharsets.UTF_8));
		publish("obs-fail", "poison".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.tracing.registry())
				.hasAnObservation((observation) -> observation.hasNameEqualTo("nsq.listener")
					.hasContextualNameEqualTo("process obs-observed")
					.hasLowCardinalityKeyValue("nsq.listener.id", "observed")
					.hasLowCardinalityKeyValue("messaging.destination.name", "obs-observed")
					.hasHighCardinalityKeyValue("messaging.nsq.message.attempts", "1")
					.doesNotHaveError()));
		await().atMost(WAIT).until(() -> this.app.failures.size() == 2);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.tracing.registry())
				.hasAnObservation((observation) -> observation.hasNameEqualTo("nsq.listener")
					.hasContextualNameEqualTo("process obs-fail")
					.hasLowCardinalityKeyValue("messaging.system", "nsq")
					.hasLowCardinalityKeyValue("messaging.operation", "process")
					.hasLowCardinalityKeyValue("messaging.destination.name", "obs-fail")
					.hasLowCardinalityKeyValue("messaging.consumer.group.name", "test")
					.hasLowCardinalityKeyValue("nsq.listener.id", "failing")
					.hasHighCardinalityKeyValue("messaging.nsq.message.attempts", "2")
					.hasHighCardinalityKeyValue("server.address", this.cluster.nsqdTcpAddress(0))
					.hasHighCardinalityKeyValueWithKey("messaging.message.id")
					.hasError()));
	}

	@Test
	void listenerMetersCountTrafficPerTopicChannelAndListener() {
		publish("obs-metered", "a".getBytes(StandardCharsets.UTF_8));
		publish("obs-metered", "b".getBytes(StandardCharsets.UTF_8));
		publish("obs-fail-metered", "poison".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(count("nsq.consumer.messages.received", "metered")).isEqualTo(2);
			assertThat(count("nsq.consumer.messages.finished", "metered")).isEqualTo(2);
			assertThat(this.meters.get("nsq.consumer.handler")
				.tags("listener.id", "metered", "topic", "obs-metered", "channel", "test", "result", "success")
				.timer()
				.count()).isEqualTo(2);
			// attempt 1 failed and was requeued, attempt 2 (max attempts) was given up on
			assertThat(count("nsq.consumer.messages.received", "failMetered")).isEqualTo(2);
			assertThat(count("nsq.consumer.messages.requeued", "failMetered")).isEqualTo(1);
			assertThat(count("nsq.consumer.messages.finished", "failMetered")).isEqualTo(1);
			assertThat(this.meters.get("nsq.consumer.messages.failed")
				.tags("listener.id", "failMetered")
				.counter()
				.count()).isEqualTo(1);
			assertThat(this.meters.get("nsq.consumer.handler")
				.tags("listener.id", "failMetered", "result", "failure")
				.timer()
				.count()).isEqualTo(2);
			assertThat(gauge("nsq.consumer.in.flight", "metered")).isZero();
			assertThat(gauge("nsq.consumer.connections", "metered")).isEqualTo(1);
			assertThat(gauge("nsq.consumer.rdy", "metered")).isEqualTo(5);
		});
		assertThat(this.meters.get("nsq.consumer.lookupd.poll.failures").tags("listener.id", "metered").counter())
			.isNotNull();
	}

	@Test
	void idleAndNoLongerIdleEvents() {
		await().atMost(WAIT).until(() -> this.app.events(ConsumerIdleEvent.class, "idle") > 0);
		ConsumerIdleEvent idle = this.app.events.stream()
			.filter((event) -> event instanceof ConsumerIdleEvent
					&& event.getContainer().getListenerId().equals("idle"))
			.map(ConsumerIdleEvent.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(idle.getIdleTime()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		publish("obs-idle", "wake up".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> this.app.events(ConsumerNoLongerIdleEvent.class, "idle") > 0);
	}

	@Test
	void nsqdStopAndRestartLostRestoredReconnectAndHealth() {
		assertThat(this.health.health(true).getStatus()).isEqualTo(Status.UP);
		// the topic exists (and nsqlookupd lists the nsqd) once something was published
		publish("obs-reconnecting", "before stop".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> this.app.reconnecting.contains("before stop"));
		assertThat(gauge("nsq.consumer.connections", "reconnecting")).isEqualTo(1);
		this.cluster.stopNode(0);
		try {
			await().atMost(WAIT).until(() -> this.app.events(ConnectionLostEvent.class, "reconnecting") > 0);
			assertThat(this.health.health(true).getStatus()).isEqualTo(Status.DOWN);
			assertThat(gauge("nsq.consumer.connections", "reconnecting")).isZero();
		}
		finally {
			this.cluster.startNode(0);
		}
		await().atMost(WAIT).until(() -> this.app.events(ConnectionRestoredEvent.class, "reconnecting") > 0);
		assertThat(this.health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(this.meters.get("nsq.consumer.reconnects").tags("listener.id", "reconnecting").counter().count())
			.isEqualTo(1);
		ConnectionLostEvent lost = this.app.events.stream()
			.filter((event) -> event instanceof ConnectionLostEvent)
			.map(ConnectionLostEvent.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(lost.getNsqdAddress()).isEqualTo(this.cluster.nsqdTcpAddress(0));
		// the listener works again
		publish("obs-reconnecting", "after restart".getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> this.app.reconnecting.contains("after restart"));
	}

	private void publish(String topic, byte[] body) {
		this.cluster.nsqd(0).publish(topic, body);
	}

	private double count(String name, String listenerId) {
		return this.meters.get(name).tags("listener.id", listenerId).functionCounter().count();
	}

	private double gauge(String name, String listenerId) {
		return this.meters.get(name).tags("listener.id", listenerId).gauge().value();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> mixed = new CopyOnWriteArrayList<>();

		final List<String> traced = new CopyOnWriteArrayList<>();

		final List<String> failures = new CopyOnWriteArrayList<>();

		final List<String> reconnecting = new CopyOnWriteArrayList<>();

		final List<NsqEvent> events = new CopyOnWriteArrayList<>();

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

		@EventListener
		void on(NsqEvent event) {
			this.events.add(event);
		}

		long events(Class<? extends NsqEvent> type, String listenerId) {
			return this.events.stream()
				.filter((event) -> type.isInstance(event) && event.getContainer().getListenerId().equals(listenerId))
				.count();
		}

		@NsqListener(id = "mixed", topic = "obs-mixed", channel = "test")
		void mixed(String body, @Header(name = "tenant", required = false) @Nullable String tenant) {
			this.mixed.add(body + "|" + tenant);
		}

		@NsqListener(id = "traced", topic = "obs-traced", channel = "test")
		void traced(String body) {
			this.traced.add(body + "|" + this.tracing.currentTraceId());
		}

		@NsqListener(id = "observed", topic = "obs-observed", channel = "test")
		void observed(String body) {
		}

		@NsqListener(id = "failing", topic = "obs-fail", channel = "test", maxAttempts = "2")
		void failing(String body) {
			this.failures.add(body);
			throw new IllegalStateException("cannot process " + body);
		}

		@NsqListener(id = "metered", topic = "obs-metered", channel = "test")
		void metered(String body) {
		}

		@NsqListener(id = "failMetered", topic = "obs-fail-metered", channel = "test", maxAttempts = "2")
		void failMetered(String body) {
			throw new IllegalStateException("cannot process " + body);
		}

		@NsqListener(id = "idle", topic = "obs-idle", channel = "test")
		void idle(String body) {
		}

		@NsqListener(id = "reconnecting", topic = "obs-reconnecting", channel = "test")
		void reconnecting(String body) {
			this.reconnecting.add(body);
		}

	}

}
