package io.github.nsqspring.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqConsumerBuilderCustomizer;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqBatchListenerFailedException;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqMessageRecoverer;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.NsqdChannelStats;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener features of a Spring Boot application, end to end through an embedded
 * nsqd: per-listener consumer options and their precedence, {@code @SendTo} request and
 * reply through the envelope, batch listeners, interceptor and filter beans, a failing
 * recoverer, and a connection listener set by a customizer. Each scenario has its own
 * topic.
 */
@SpringBootTest(classes = NsqListenerFeaturesEndToEndTests.App.class,
		properties = { "nsq.consumer.default-requeue-delay=50ms", "nsq.consumer.backoff.multiplier=10ms",
				"nsq.consumer.max-in-flight=5", "nsq.envelope.enabled=true" })
@EmbeddedNsq
class NsqListenerFeaturesEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private NsqTemplate template;

	@Autowired
	private App app;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Autowired
	private NsqListenerEndpointRegistry registry;

	@Test
	void perListenerOptionsOutrankCustomizersWhichOutrankNsqConsumerProperties() {
		this.template.send("e2e-attempts-annotated", "fails");
		this.template.send("e2e-attempts-customized", "fails");
		this.template.send("e2e-attempts-default", "fails");
		await().atMost(WAIT)
			.until(() -> this.app.recovered.keySet()
				.containsAll(List.of("e2e-attempts-annotated", "e2e-attempts-customized", "e2e-attempts-default")));
		assertThat(this.app.attempts.get("e2e-attempts-annotated")).as("properties = max_attempts=2").hasValue(2);
		assertThat(this.app.attempts.get("e2e-attempts-customized")).as("customizer: max_attempts 3").hasValue(3);
		assertThat(this.app.attempts.get("e2e-attempts-default")).as("nsq.consumer.max-attempts: 5").hasValue(5);
		DefaultNsqMessageListenerContainer annotated = container("attempts-annotated");
		assertThat(annotated.getConsumerConfig().consumer().getMsgTimeout()).isEqualTo(Duration.ofSeconds(45));
		assertThat(annotated.getContainerProperties().getMaxAttempts()).isEqualTo(2);
	}

	@Test
	void requestAndReplyThroughTheEnvelope() {
		Message<String> request = MessageBuilder.withPayload("ping")
			.setHeader(NsqHeaders.REPLY_TOPIC, "e2e-replies-client")
			.setHeader(NsqHeaders.CORRELATION_ID, "req-1")
			.build();
		this.template.send("e2e-requests", request);
		this.template.send("e2e-requests", "no reply topic");
		await().atMost(WAIT).until(() -> this.app.clientReplies.size() == 1 && this.app.defaultReplies.size() == 1);
		Message<String> reply = this.app.clientReplies.get(0);
		assertThat(reply.getPayload()).isEqualTo("PING");
		assertThat(reply.getHeaders()).containsEntry(NsqHeaders.CORRELATION_ID, "req-1");
		assertThat(reply.getHeaders().get(NsqHeaders.REQUEST_MESSAGE_ID)).asString().hasSize(16);
		assertThat(this.app.defaultReplies.get(0).getPayload()).isEqualTo("NO REPLY TOPIC");
	}

	@Test
	void batchesAreBoundedBySizeAndFinishedAsAWhole() throws Exception {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			bodies.add("m" + i);
		}
		this.template.sendBatch("e2e-batch", bodies);
		await().atMost(WAIT).until(() -> this.app.batched.size() == 12);
		assertThat(this.app.batched).containsExactlyInAnyOrderElementsOf(bodies);
		assertThat(this.app.batchSizes).allSatisfy((size) -> assertThat(size).isBetween(1, 5));
		await().atMost(WAIT).until(() -> stat("e2e-batch", "test", "in_flight_count") == 0);
		assertThat(stat("e2e-batch", "test", "depth")).isZero();
		assertThat(stat("e2e-batch", "test", "requeue_count")).isZero();
		assertThat(stat("e2e-batch", "test", "timeout_count")).isZero();
	}

	@Test
	void aFailedMessageOfABatchIsRetriedWithoutReprocessingTheOnesBeforeIt() throws Exception {
		this.template.sendBatch("e2e-batch-fail", List.of("a", "poison", "c"));
		await().atMost(WAIT).until(() -> this.app.partial.keySet().containsAll(List.of("a", "poison", "c")));
		assertThat(this.app.partial.get("a")).as("finished with its batch, never again").hasValue(1);
		assertThat(this.app.poisonAttempts).as("failed once, processed on its second attempt").containsExactly(1, 2);
		await().atMost(WAIT).until(() -> stat("e2e-batch-fail", "test", "in_flight_count") == 0);
		assertThat(stat("e2e-batch-fail", "test", "depth")).isZero();
		assertThat(stat("e2e-batch-fail", "test", "requeue_count")).isPositive();
		assertThat(stat("e2e-batch-fail", "test", "timeout_count")).isZero();
	}

	@Test
	void stoppingHandsAPartialBatchToTheListenerAtOnceAndFinishesIt() throws Exception {
		this.template.send("e2e-batch-stop", "x");
		this.template.send("e2e-batch-stop", "y");
		// both joined the forming batch (the interceptor sees a message as it joins)
		await().atMost(WAIT).until(() -> this.app.joinedStopBatch.size() == 2);
		assertThat(this.app.stopBatches).as("waiting for the batch to fill").isEmpty();
		long start = System.nanoTime();
		container("batch-stop").stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the 10s batch timeout")
			.isLessThan(Duration.ofSeconds(8));
		assertThat(this.app.stopBatches).containsExactly(List.of("x", "y"));
		await().atMost(WAIT).until(() -> stat("e2e-batch-stop", "test", "in_flight_count") == 0);
		assertThat(stat("e2e-batch-stop", "test", "depth")).isZero();
		assertThat(stat("e2e-batch-stop", "test", "requeue_count")).isZero();
		assertThat(stat("e2e-batch-stop", "test", "timeout_count")).isZero();
	}

	@Test
	void filteredMessagesAreFinishedAndCountedAndTheInterceptorSeesTheOthers() throws Exception {
		this.template.send("e2e-filter", "ignore:1");
		this.template.send("e2e-filter", "keep:1");
		await().atMost(WAIT).until(() -> this.app.filtered.contains("keep:1"));
		await().atMost(WAIT).until(() -> stat("e2e-filter", "test", "in_flight_count") == 0);
		assertThat(this.app.filtered).containsExactly("keep:1");
		assertThat(container("filter").getFilteredCount()).isOne();
		assertThat(stat("e2e-filter", "test", "depth")).isZero();
		assertThat(stat("e2e-filter", "test", "requeue_count")).isZero();
		await().atMost(WAIT).until(() -> this.app.intercepted.contains("after keep:1"));
		assertThat(this.app.intercepted).containsSubsequence("intercept keep:1", "success keep:1", "after keep:1")
			.doesNotContain("intercept ignore:1");
	}

	@Test
	void aFailingRecovererRequeuesTheMessageUntilItCanBeRecovered() throws Exception {
		this.template.send("e2e-recovery", "poison");
		await().atMost(WAIT).until(() -> this.app.recovered.containsKey("e2e-recovery"));
		assertThat(this.app.attempts.get("e2e-recovery")).as("the listener ran on the only attempt allowed")
			.hasValue(1);
		assertThat(this.app.recoveryCalls.get()).as("two failed recoveries, then one that worked").isEqualTo(3);
		assertThat(container("recovery").getRecoveryFailureCount()).isEqualTo(2);
		await().atMost(WAIT).until(() -> stat("e2e-recovery", "test", "in_flight_count") == 0);
		assertThat(stat("e2e-recovery", "test", "requeue_count")).as("requeued, not finished, twice").isEqualTo(2);
		assertThat(stat("e2e-recovery", "test", "depth")).isZero();
	}

	@Test
	void aConnectionListenerSetByACustomizerIsCalledNextToTheContainers() {
		await().atMost(WAIT).until(() -> this.app.connected.contains(this.cluster.nsqdTcpAddress(0)));
		assertThat(this.registry.getListenerContainer("filter").isRunning()).isTrue();
	}

	private DefaultNsqMessageListenerContainer container(String id) {
		NsqMessageListenerContainer container = this.registry.getListenerContainer(id);
		assertThat(container).isInstanceOf(DefaultNsqMessageListenerContainer.class);
		return (DefaultNsqMessageListenerContainer) container;
	}

	private long stat(String topic, String channel, String stat) throws Exception {
		return NsqdChannelStats.get(this.cluster.nsqdHttpAddress(0), topic, channel, stat);
	}

	/** The payload: the envelope is on, and filters and interceptors get the raw body. */
	private static String body(NsqMessage message) {
		return new String(NsqEnvelope.decode(message.body()).getPayload(), StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

		final Map<String, Throwable> recovered = new ConcurrentHashMap<>();

		final AtomicInteger recoveryCalls = new AtomicInteger();

		final List<Message<String>> clientReplies = new CopyOnWriteArrayList<>();

		final List<Message<String>> defaultReplies = new CopyOnWriteArrayList<>();

		final List<String> batched = new CopyOnWriteArrayList<>();

		final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

		final Map<String, AtomicInteger> partial = new ConcurrentHashMap<>();

		final List<Integer> poisonAttempts = new CopyOnWriteArrayList<>();

		final List<String> filtered = new CopyOnWriteArrayList<>();

		final List<String> intercepted = new CopyOnWriteArrayList<>();

		final List<String> connected = new CopyOnWriteArrayList<>();

		// per-listener options and their precedence

		@NsqListener(id = "attempts-annotated", topic = "e2e-attempts-annotated", channel = "test",
				properties = { "max_attempts=2", "msg_timeout=45s" })
		void attemptsAnnotated(String body, @Header(NsqHeaders.TOPIC) String topic) {
			fail(topic);
		}

		@NsqListener(id = "attempts-customized", topic = "e2e-attempts-customized", channel = "test")
		void attemptsCustomized(String body, @Header(NsqHeaders.TOPIC) String topic) {
			fail(topic);
		}

		@NsqListener(topic = "e2e-attempts-default", channel = "test")
		void attemptsDefault(String body, @Header(NsqHeaders.TOPIC) String topic) {
			fail(topic);
		}

		@NsqListener(id = "recovery", topic = "e2e-recovery", channel = "test", properties = "max_attempts=1")
		void recovery(String body, @Header(NsqHeaders.TOPIC) String topic) {
			fail(topic);
		}

		private void fail(String topic) {
			this.attempts.computeIfAbsent(topic, (key) -> new AtomicInteger()).incrementAndGet();
			throw new IllegalStateException("cannot process a message of " + topic);
		}

		@Bean
		NsqListenerConsumerCustomizer threeAttemptsForSomeListeners() {
			return (spec) -> {
				if (spec.topic().startsWith("e2e-attempts-") && !spec.topic().endsWith("-default")) {
					spec.config().set("max_attempts", 3);
				}
			};
		}

		@Bean
		NsqMessageRecoverer recordingRecoverer() {
			return (message, topic, channel, cause) -> {
				if (topic.equals("e2e-recovery") && this.recoveryCalls.incrementAndGet() <= 2) {
					throw new IllegalStateException("dead-letter topic unreachable");
				}
				this.recovered.put(topic, cause);
			};
		}

		// request and reply

		@NsqListener(topic = "e2e-requests", channel = "test")
		@SendTo("e2e-replies-default")
		String upperCase(String body) {
			return body.toUpperCase();
		}

		@NsqListener(topic = "e2e-replies-client", channel = "test")
		void clientReply(Message<String> reply) {
			this.clientReplies.add(reply);
		}

		@NsqListener(topic = "e2e-replies-default", channel = "test")
		void defaultReply(Message<String> reply) {
			this.defaultReplies.add(reply);
		}

		// batches

		@NsqListener(topic = "e2e-batch", channel = "test", batch = "true", batchSize = "5", batchTimeout = "300ms",
				concurrency = "2")
		void batch(List<String> bodies) {
			this.batchSizes.add(bodies.size());
			this.batched.addAll(bodies);
		}

		@NsqListener(topic = "e2e-batch-fail", channel = "test", batch = "true", maxInFlight = "3", batchTimeout = "1s")
		void partiallyFailing(List<Message<String>> messages) {
			for (int i = 0; i < messages.size(); i++) {
				Message<String> message = messages.get(i);
				if (message.getPayload().equals("poison")) {
					int attempt = message.getHeaders().get(NsqHeaders.ATTEMPTS, Integer.class);
					this.poisonAttempts.add(attempt);
					if (attempt == 1) {
						throw new NsqBatchListenerFailedException("poison", new IllegalStateException("first try"), i);
					}
				}
				this.partial.computeIfAbsent(message.getPayload(), (key) -> new AtomicInteger()).incrementAndGet();
			}
		}

		final List<List<String>> stopBatches = new CopyOnWriteArrayList<>();

		final List<String> joinedStopBatch = new CopyOnWriteArrayList<>();

		@NsqListener(id = "batch-stop", topic = "e2e-batch-stop", channel = "test", batch = "true",
				batchTimeout = "10s")
		void batchAtStop(List<String> bodies) {
			this.stopBatches.add(List.copyOf(bodies));
		}

		// interceptor and filter

		@NsqListener(id = "filter", topic = "e2e-filter", channel = "test")
		void filtered(String body) {
			this.filtered.add(body);
		}

		@Bean
		NsqMessageFilterStrategy ignoreFilter() {
			return (message) -> body(message).startsWith("ignore:");
		}

		@Bean
		NsqMessageInterceptor recordingInterceptor() {
			return new NsqMessageInterceptor() {

				@Override
				public NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) {
					record("intercept", message, container);
					return message;
				}

				@Override
				public void success(NsqMessage message, NsqMessageListenerContainer container) {
					record("success", message, container);
				}

				@Override
				public void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
					record("after", message, container);
				}

				private void record(String what, NsqMessage message, NsqMessageListenerContainer container) {
					if (container.getListenerId().equals("filter")) {
						App.this.intercepted.add(what + " " + body(message));
					}
					if (container.getListenerId().equals("batch-stop") && what.equals("intercept")) {
						App.this.joinedStopBatch.add(body(message));
					}
				}

			};
		}

		// a connection listener next to the container's

		@Bean
		NsqConsumerBuilderCustomizer connectionRecorder() {
			return (builder) -> builder.listener(new ConsumerListener() {

				@Override
				public void onConnected(String nsqdAddress) {
					App.this.connected.add(nsqdAddress);
				}

			});
		}

	}

}
