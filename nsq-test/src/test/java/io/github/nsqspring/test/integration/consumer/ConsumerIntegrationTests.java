package io.github.nsqspring.test.integration.consumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConnectionStats;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;
import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against a cluster of nsqd with nsqlookupd: embedded always, real binaries
 * when NSQ_BIN_DIR is set.
 */
class ConsumerIntegrationTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	@RegisterExtension
	final Closeables closeables = new Closeables();

	@ParameterizedTest
	@EnumSource(Backend.class)
	void everyMessageIsHandledWithMaxInFlightOneAcrossThreeNodes(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 3);
		String topic = "starve";
		Set<String> expected = new HashSet<>();
		for (int node = 0; node < 3; node++) {
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				bodies.add("n" + node + "-" + i);
			}
			publish(cluster, node, topic, bodies);
			expected.addAll(bodies);
		}
		Set<String> handled = ConcurrentHashMap.newKeySet();
		NsqConfig config = fastConfig().consumer((settings) -> settings.maxInFlight(1)).build();
		NsqConsumer consumer = consumer(topic, config, (builder) -> builder.lookupd(cluster.lookupdHttpAddress())
			.handler((message) -> handled.add(new String(message.body()))));
		consumer.start();
		await().atMost(Duration.ofSeconds(90)).until(() -> handled.containsAll(expected));
		assertThat(consumer.stats().connections()).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void nodesJoiningAndLeavingNsqlookupdMidStream(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 2);
		String topic = "joinleave";
		Set<String> handled = ConcurrentHashMap.newKeySet();
		publish(cluster, 0, topic, List.of("a1", "a2"));
		NsqConsumer consumer = consumer(topic, fastConfig().consumer((settings) -> settings.maxInFlight(10)).build(),
				(builder) -> builder.lookupd(cluster.lookupdHttpAddress())
					.handler((message) -> handled.add(new String(message.body()))));
		consumer.start();
		await().until(() -> handled.containsAll(List.of("a1", "a2")));
		assertThat(consumer.stats().connections()).isEqualTo(1);
		// node 1 gets the topic: it registers with nsqlookupd and the consumer finds it
		publish(cluster, 1, topic, List.of("b1", "b2"));
		await().until(() -> handled.containsAll(List.of("b1", "b2")));
		assertThat(consumer.stats().connections()).isEqualTo(2);
		// node 0 is tombstoned for the topic: still running, but no longer listed
		post("http://" + cluster.lookupdHttpAddress() + "/topic/tombstone?topic=" + topic + "&node=127.0.0.1:"
				+ port(cluster.nsqdHttpAddress(0)));
		await().until(() -> consumer.stats().connections() == 1);
		publish(cluster, 1, topic, List.of("b3"));
		await().until(() -> handled.contains("b3"));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void nodeStoppedAndRestartedIsReconnected(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1);
		String topic = "restart";
		Set<String> handled = ConcurrentHashMap.newKeySet();
		publish(cluster, 0, topic, List.of("before"));
		NsqConsumer consumer = consumer(topic, fastConfig().consumer((settings) -> settings.maxInFlight(5)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0))
					.reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
					.handler((message) -> handled.add(new String(message.body()))));
		consumer.start();
		await().until(() -> handled.contains("before"));
		cluster.stopNode(0);
		await().until(() -> consumer.stats().connections() == 0);
		cluster.startNode(0);
		await().atMost(Duration.ofSeconds(30)).until(() -> consumer.stats().connections() == 1);
		publish(cluster, 0, topic, List.of("after"));
		await().until(() -> handled.contains("after"));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void failingHandlerBacksOffRequeuesWithGrowingDelaysAndGivesUpAfterMaxAttempts(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1);
		String topic = "failing";
		publish(cluster, 0, topic, List.of("always-fails"));
		List<Long> attemptTimes = new CopyOnWriteArrayList<>();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		List<String> failed = new CopyOnWriteArrayList<>();
		NsqConfig config = fastConfig()
			.consumer((settings) -> settings.maxInFlight(5)
				.maxAttempts(3)
				.defaultRequeueDelay(Duration.ofMillis(300))
				.backoffMultiplier(Duration.ofMillis(20)))
			.build();
		NsqConsumer consumer = consumer(topic, config,
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0))
					.failedMessageHandler((message) -> failed.add(new String(message.body())))
					.handler((message) -> {
						attemptTimes.add(System.nanoTime());
						attempts.add(message.attempts());
						throw new IllegalStateException("always fails");
					}));
		consumer.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> failed.size() == 1);
		assertThat(attempts).containsExactly(1, 2, 3);
		// requeue delays: 300 ms × attempts (nsqd may deliver up to ~100 ms late, never
		// early)
		assertThat(millisBetween(attemptTimes, 0, 1)).isGreaterThanOrEqualTo(290);
		assertThat(millisBetween(attemptTimes, 1, 2)).isGreaterThanOrEqualTo(590);
		ConsumerStats stats = consumer.stats();
		assertThat(stats.requeued()).isEqualTo(3);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.finished()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void stopWithMessagesInFlightLosesNothingAndRedeliversNothingHandled(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1);
		String topic = "drain";
		List<String> all = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			all.add("m" + i);
		}
		publish(cluster, 0, topic, all);
		Map<String, Integer> first = new ConcurrentHashMap<>();
		NsqConsumer consumer = consumer(topic, fastConfig().consumer((settings) -> settings.maxInFlight(50)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).concurrency(4).handler((message) -> {
					// simulated work, so that messages are queued and in handlers at stop
					TimeUnit.MILLISECONDS.sleep(5);
					first.merge(new String(message.body()), 1, Integer::sum);
				}));
		consumer.start();
		await().until(() -> first.size() >= 40);
		// well under nsqd's 60 s message timeout: what was not handled went back at once
		consumer.stop(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
		ConsumerStats stats = consumer.stats();
		assertThat(stats.inFlight()).isZero();
		assertThat(stats.finished()).isEqualTo(first.size());
		Map<String, Integer> second = new ConcurrentHashMap<>();
		NsqConsumer next = consumer(topic, fastConfig().consumer((settings) -> settings.maxInFlight(50)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0))
					.handler((message) -> second.merge(new String(message.body()), 1, Integer::sum)));
		next.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> first.size() + second.size() >= all.size());
		assertThat(second.keySet()).doesNotContainAnyElementsOf(first.keySet());
		Set<String> union = new HashSet<>(first.keySet());
		union.addAll(second.keySet());
		assertThat(union).containsExactlyInAnyOrderElementsOf(all);
		assertThat(first.values()).allMatch((count) -> count == 1);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void aMessageWhoseFailedMessageHandlerThrowsIsRequeuedAndHandedToItAgain(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1);
		String topic = "recoverer";
		publish(cluster, 0, topic, List.of("poison"));
		AtomicInteger recoveries = new AtomicInteger();
		NsqConfig config = fastConfig()
			.consumer((settings) -> settings.maxInFlight(5)
				.maxAttempts(2)
				.defaultRequeueDelay(Duration.ofMillis(10))
				.backoffMultiplier(Duration.ofMillis(1)))
			.build();
		NsqConsumer consumer = consumer(topic, config,
				(builder) -> builder.nsqd(cluster.nsqdTcpAddress(0)).failedMessageHandler((message) -> {
					if (recoveries.incrementAndGet() == 1) {
						throw new IllegalStateException("dead-letter topic unavailable");
					}
				}).handler((message) -> {
					throw new IllegalStateException("always fails");
				}));
		consumer.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> consumer.stats().finished() == 1);
		ConsumerStats stats = consumer.stats();
		assertThat(recoveries).hasValue(2);
		assertThat(stats.failedMessageHandlerErrors()).isEqualTo(1);
		// attempts 1 and 2 failed, attempt 3 went to the recoverer, which threw
		assertThat(stats.requeued()).isEqualTo(3);
		NsqdStats nsqd = NsqdStats.settled(cluster, 0, topic, "ch");
		assertThat(nsqd.requeueCount()).isEqualTo(3);
		assertThat(nsqd.finished()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void theStatsOfEachNsqdAreWhatThatNsqdCounts(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 2);
		String topic = "pernsqd";
		publish(cluster, 0, topic, List.of("a1", "a2", "a3"));
		publish(cluster, 1, topic, List.of("b1", "b2"));
		Set<String> handled = ConcurrentHashMap.newKeySet();
		NsqConsumer consumer = consumer(topic, fastConfig().consumer((settings) -> settings.maxInFlight(10)).build(),
				(builder) -> builder.nsqd(cluster.nsqdTcpAddresses())
					.handler((message) -> handled.add(new String(message.body()))));
		consumer.start();
		await().until(() -> handled.size() == 5 && consumer.stats().finished() == 5);
		for (int node = 0; node < 2; node++) {
			String address = cluster.nsqdTcpAddress(node);
			int current = node;
			await().untilAsserted(() -> {
				Map<String, Object> client = NsqdStats.of(cluster, current, topic, "ch").clients().get(0);
				ConnectionStats stats = consumer.stats()
					.nsqd()
					.stream()
					.filter((candidate) -> candidate.nsqdAddress().equals(address))
					.findFirst()
					.orElseThrow();
				assertThat(stats.state()).isEqualTo(ConnectionStats.State.CONNECTED);
				assertThat(stats.finished()).isEqualTo(NsqdStats.number(client, "finish_count"))
					.isEqualTo((current == 0) ? 3 : 2);
				assertThat(stats.rdy()).isEqualTo(NsqdStats.number(client, "ready_count")).isEqualTo(5);
				assertThat(stats.inFlight()).isEqualTo(NsqdStats.number(client, "in_flight_count")).isZero();
				assertThat(stats.requeued()).isEqualTo(NsqdStats.number(client, "requeue_count")).isZero();
			});
		}
	}

	private static long millisBetween(List<Long> times, int from, int to) {
		return TimeUnit.NANOSECONDS.toMillis(times.get(to) - times.get(from));
	}

	private static NsqConfig.Builder fastConfig() {
		return NsqConfig.builder()
			.lookupd((lookupd) -> lookupd.pollInterval(Duration.ofMillis(100)).pollJitter(0))
			.consumer((settings) -> settings.rdyRedistributeInterval(Duration.ofMillis(20))
				.lowRdyIdleTimeout(Duration.ofSeconds(1))
				.lowRdyTimeout(Duration.ofSeconds(1)));
	}

	private NsqCluster cluster(Backend backend, int nodes) {
		NsqCluster cluster = backend.start(nodes);
		this.closeables.add(cluster);
		return cluster;
	}

	private NsqConsumer consumer(String topic, NsqConfig config,
			java.util.function.UnaryOperator<NsqConsumerBuilder> customizer) {
		NsqConsumer consumer = customizer
			.apply(NsqConsumer.builder(topic, "ch").config(config).shutdownTimeout(Duration.ofSeconds(5)))
			.build();
		this.closeables.addFirst(consumer);
		return consumer;
	}

	private static void publish(NsqCluster cluster, int node, String topic, List<String> bodies) throws Exception {
		post("http://" + cluster.nsqdHttpAddress(node) + "/mpub?topic=" + topic, String.join("\n", bodies));
	}

	private static void post(String url) throws Exception {
		post(url, "");
	}

	private static void post(String url, String body) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("POST %s: %s", url, response.body()).isEqualTo(200);
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

}
