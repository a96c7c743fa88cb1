package io.github.nsqspring.boot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqSendResult;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.test.NsqdChannelStats;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish → listener, end to end through an embedded nsqd and nsqlookupd: the producer
 * publishes to nsqd, listeners discover it through nsqlookupd. Each scenario has its own
 * topic, so every channel sees only its messages.
 */
@SpringBootTest(classes = NsqEndToEndTests.App.class,
		properties = { "nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0",
				"nsq.consumer.default-requeue-delay=50ms", "nsq.consumer.backoff.multiplier=10ms",
				"nsq.consumer.max-in-flight=5", "nsq.listener.dead-letter.enabled=true", "app.topic=e2e-placeholder",
				"app.channel=from-placeholder" })
@EmbeddedNsq(lookupd = true)
class NsqEndToEndTests {

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
	void consumersDiscoverNsqdThroughLookupd() {
		assertThat(this.registry.getListenerContainer("json").getContainerProperties().getTopic())
			.isEqualTo("e2e-json");
		this.template.send("e2e-json", new Order("discovered", 1));
		await().atMost(WAIT).until(() -> !this.app.orders.isEmpty());
		assertThat(this.cluster.lookupd()).isNotNull();
	}

	@Test
	void jsonPojosAndHeaders() throws Exception {
		NsqSendResult result = this.template.send("e2e-json", new Order("A-1", 3));
		assertThat(result.nsqdAddress()).isEqualTo(this.cluster.nsqdTcpAddress(0));
		Received received = poll(this.app.orders, "A-1");
		assertThat(received.order()).isEqualTo(new Order("A-1", 3));
		assertThat(received.attempts()).isEqualTo(1);
		assertThat(received.topic()).isEqualTo("e2e-json");
		assertThat(received.channel()).isEqualTo("test");
		assertThat(received.nsqdAddress()).isEqualTo(this.cluster.nsqdTcpAddress(0));
		assertThat(received.id()).hasSize(16);
	}

	@Test
	void batchAndDeferredSends() throws Exception {
		this.template.sendBatch("e2e-json", List.of(new Order("B-1", 1), new Order("B-2", 2)));
		this.template.sendDeferred("e2e-json", new Order("D-1", 1), Duration.ofMillis(200));
		assertThat(poll(this.app.orders, "B-1")).isNotNull();
		assertThat(poll(this.app.orders, "B-2")).isNotNull();
		assertThat(poll(this.app.orders, "D-1")).isNotNull();
	}

	@Test
	void manualAcknowledgment() throws Exception {
		this.template.send("e2e-manual", "requeue me once");
		await().atMost(WAIT).until(() -> this.app.manualAttempts.contains(2));
		assertThat(this.app.manualAttempts).containsExactly(1, 2);
		await().atMost(WAIT).until(() -> channelStat("e2e-manual", "test", "in_flight_count") == 0);
		assertThat(channelStat("e2e-manual", "test", "requeue_count")).isEqualTo(1);
	}

	@Test
	void placeholdersAndSpelResolveTopicAndChannel() {
		this.template.send("e2e-placeholder", "hello");
		await().atMost(WAIT).until(() -> this.app.placeholder.contains("hello"));
		assertThat(this.cluster.nsqd(0).channelNames("e2e-placeholder")).containsExactly("from-placeholder");
	}

	@Test
	void failingListenerIsRequeuedThenDeadLettered() {
		this.template.send("e2e-fail", "poison");
		await().atMost(WAIT).until(() -> this.app.deadLetters.contains("poison"));
		assertThat(this.app.failures).hasValue(2);
	}

	@Test
	void unconvertiblePayloadGoesToTheDeadLetterTopicWithoutRetry() throws Exception {
		this.template.send("e2e-json", "not json");
		await().atMost(WAIT).until(() -> this.app.jsonDeadLetters.contains("not json"));
		assertThat(channelStat("e2e-json", "test", "requeue_count")).isZero();
	}

	@Test
	void stopDrainsInFlightMessages() throws Exception {
		NsqMessageListenerContainer container = this.registry.getListenerContainer("slow");
		this.template.send("e2e-slow", "slow");
		assertThat(this.app.slowEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		AtomicBoolean stopped = new AtomicBoolean();
		container.stop(() -> stopped.set(true));
		assertThat(stopped).as("stop waits for the in-flight message").isFalse();
		this.app.slowRelease.countDown();
		await().atMost(WAIT).untilTrue(stopped);
		assertThat(this.app.slowCompleted).isTrue();
		assertThat(container.isRunning()).isFalse();
		// the drained message was finished, not requeued
		await().atMost(WAIT).until(() -> channelStat("e2e-slow", "test", "in_flight_count") == 0);
		assertThat(channelStat("e2e-slow", "test", "requeue_count")).isZero();
		assertThat(channelStat("e2e-slow", "test", "depth")).isZero();
	}

	private static Received poll(BlockingQueue<Received> queue, String id) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			Received received = queue.poll(100, TimeUnit.MILLISECONDS);
			if (received != null && received.order().id().equals(id)) {
				return received;
			}
		}
		throw new AssertionError("no order " + id + " received within " + WAIT);
	}

	private long channelStat(String topic, String channel, String stat) throws Exception {
		return NsqdChannelStats.get(this.cluster.nsqdHttpAddress(0), topic, channel, stat);
	}

	record Order(String id, int quantity) {
	}

	record Received(Order order, int attempts, String topic, String channel, String nsqdAddress, String id) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final BlockingQueue<Received> orders = new LinkedBlockingQueue<>();

		final List<Integer> manualAttempts = new CopyOnWriteArrayList<>();

		final List<String> placeholder = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		final List<String> deadLetters = new CopyOnWriteArrayList<>();

		final List<String> jsonDeadLetters = new CopyOnWriteArrayList<>();

		final CountDownLatch slowEntered = new CountDownLatch(1);

		final CountDownLatch slowRelease = new CountDownLatch(1);

		volatile boolean slowCompleted;

		@NsqListener(id = "json", topic = "e2e-json", channel = "test")
		void json(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts, @Header(NsqHeaders.TOPIC) String topic,
				@Header(NsqHeaders.CHANNEL) String channel, @Header(NsqHeaders.NSQD_ADDRESS) String nsqdAddress,
				@Header(NsqHeaders.ID) String id) {
			this.orders.add(new Received(order, attempts, topic, channel, nsqdAddress, id));
		}

		@NsqListener(topic = "e2e-json.dlq", channel = "test")
		void jsonDeadLetter(String body) {
			this.jsonDeadLetters.add(body);
		}

		@NsqListener(topic = "e2e-manual", channel = "test")
		void manual(String body, NsqMessage message) {
			this.manualAttempts.add(message.attempts());
			if (message.attempts() == 1) {
				message.requeue(Duration.ofMillis(50));
			}
			else {
				message.finish();
			}
		}

		@NsqListener(topic = "${app.topic}", channel = "#{environment['app.channel']}")
		void placeholder(String body) {
			this.placeholder.add(body);
		}

		@NsqListener(topic = "e2e-fail", channel = "test", maxAttempts = "2")
		void failing(String body) {
			this.failures.incrementAndGet();
			throw new IllegalStateException("cannot process " + body);
		}

		@NsqListener(topic = "e2e-fail.dlq", channel = "test")
		void deadLetter(String body) {
			this.deadLetters.add(body);
		}

		@NsqListener(id = "slow", topic = "e2e-slow", channel = "test")
		void slow(String body) throws InterruptedException {
			this.slowEntered.countDown();
			if (this.slowRelease.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				this.slowCompleted = true;
			}
		}

	}

}
