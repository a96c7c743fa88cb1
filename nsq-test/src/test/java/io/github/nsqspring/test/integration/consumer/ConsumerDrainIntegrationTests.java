package io.github.nsqspring.test.integration.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;
import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer's stop (DESIGN decision 12) as nsqd counts it: every message delivered
 * before the stop is finished when there is time, what is unanswered at the deadline is
 * requeued at once, and nothing is left to time out on nsqd.
 */
class ConsumerDrainIntegrationTests {

	@RegisterExtension
	final Closeables closeables = new Closeables();

	@ParameterizedTest
	@EnumSource(Backend.class)
	void aStopWithTimeToSpareFinishesEveryDeliveredMessageAndRequeuesNone(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend);
		String topic = "drain_all";
		NsqdHttp.publish(cluster, topic, 3000);
		Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
		NsqConsumer consumer = consumer(topic,
				NsqConfig.builder().consumer((settings) -> settings.maxInFlight(200)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).concurrency(4).handler((message) -> {
					TimeUnit.MILLISECONDS.sleep(1);
					handled.computeIfAbsent(new String(message.body()), (key) -> new AtomicInteger()).incrementAndGet();
				}));
		consumer.start();
		await().until(() -> handled.size() >= 400 && consumer.stats().inFlight() >= 50);
		long inFlightAtStop = consumer.stats().inFlight();
		long started = System.nanoTime();
		consumer.stop(Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		ConsumerStats stats = consumer.stats();
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		assertThat(nsqd.requeueCount()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(nsqd.inFlight()).isZero();
		assertThat(stats.requeued()).isZero();
		assertThat(stats.finished()).isEqualTo(stats.received()).isEqualTo(nsqd.finished()).isEqualTo(handled.size());
		assertThat(handled.values()).allMatch((count) -> count.get() == 1);
		assertThat(stats.finished()).isGreaterThanOrEqualTo(400 + inFlightAtStop - 1);
		// it ended when the work was done, not at the deadline
		assertThat(took).isLessThan(Duration.ofSeconds(30));
		assertThat(consumerThreads(topic)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void aStopWhoseDeadlineComesFirstRequeuesTheRestAtOnce(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend);
		String topic = "drain_deadline";
		NsqdHttp.publish(cluster, topic, 1000);
		AtomicInteger handled = new AtomicInteger();
		NsqConsumer consumer = consumer(topic,
				NsqConfig.builder().consumer((settings) -> settings.maxInFlight(200)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).concurrency(2).handler((message) -> {
					TimeUnit.MILLISECONDS.sleep(20);
					handled.incrementAndGet();
				}));
		consumer.start();
		await().until(() -> handled.get() >= 5 && consumer.stats().inFlight() >= 150);
		consumer.stop(Duration.ofMillis(300)).get(30, TimeUnit.SECONDS);
		ConsumerStats stats = consumer.stats();
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		// requeued at once: nothing is left in flight to time out later
		assertThat(nsqd.inFlight()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(nsqd.requeueCount()).isPositive().isEqualTo(stats.requeued());
		assertThat(nsqd.finished()).isEqualTo(stats.finished());
		assertThat(stats.finished() + stats.requeued()).isEqualTo(stats.received());
		assertThat(stats.inFlight()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void touchKeepsASlowMessageAliveThroughTheDrain(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend);
		String topic = "drain_touch";
		NsqdHttp.publish(cluster, topic, 1);
		CountDownLatch started = new CountDownLatch(1);
		NsqConsumer consumer = consumer(topic,
				NsqConfig.builder().consumer((settings) -> settings.msgTimeout(Duration.ofSeconds(1))).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).handler((message) -> {
					started.countDown();
					// three times nsqd's timeout for this client, touching four times a
					// second
					for (int i = 0; i < 12; i++) {
						TimeUnit.MILLISECONDS.sleep(250);
						message.touch();
					}
				}));
		consumer.start();
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		consumer.stop(Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(nsqd.requeueCount()).isZero();
		assertThat(nsqd.finished()).isEqualTo(1);
		assertThat(consumer.stats().finished()).isEqualTo(1);
		assertThat(consumer.stats().responseErrors()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void manualAckMessagesAnsweredDuringTheDrainAreFinished(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend);
		String topic = "drain_manual";
		NsqdHttp.publish(cluster, topic, 5);
		ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();
		this.closeables.add(answers::shutdownNow);
		AtomicInteger handed = new AtomicInteger();
		NsqConsumer consumer = consumer(topic,
				NsqConfig.builder().consumer((settings) -> settings.maxInFlight(10)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).handler((message) -> {
					message.disableAutoResponse();
					answers.schedule(message::finish, 500, TimeUnit.MILLISECONDS);
					handed.incrementAndGet();
				}));
		consumer.start();
		await().until(() -> handed.get() == 5);
		consumer.stop(Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		assertThat(nsqd.finished()).isEqualTo(5);
		assertThat(nsqd.requeueCount()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(consumer.stats().finished()).isEqualTo(5);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void manualAckMessagesStillUnansweredAtTheDeadlineAreRequeuedNotFinished(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend);
		String topic = "drain_unanswered";
		NsqdHttp.publish(cluster, topic, 3);
		AtomicInteger handed = new AtomicInteger();
		NsqConsumer consumer = consumer(topic,
				NsqConfig.builder().consumer((settings) -> settings.maxInFlight(10)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).handler((message) -> {
					message.disableAutoResponse();
					handed.incrementAndGet();
				}));
		consumer.start();
		await().until(() -> handed.get() == 3);
		consumer.stop(Duration.ofMillis(300)).get(30, TimeUnit.SECONDS);
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		assertThat(nsqd.requeueCount()).isEqualTo(3);
		assertThat(nsqd.inFlight()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(nsqd.finished()).isZero();
		assertThat(consumer.stats().requeued()).isEqualTo(3);
	}

	private static List<String> consumerThreads(String topic) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.contains(topic + "/"))
			.toList();
	}

	private NsqCluster cluster(Backend backend) {
		NsqCluster cluster = backend.start(1);
		this.closeables.add(cluster);
		return cluster;
	}

	private NsqConsumer consumer(String topic, NsqConfig config, UnaryOperator<NsqConsumerBuilder> customizer) {
		NsqConsumer consumer = customizer.apply(NsqConsumer.builder(topic, "ch").config(config)).build();
		this.closeables.addFirst(consumer);
		return consumer;
	}

}
