package io.github.nsqspring.test.integration.producer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqInvalidMessageException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.ProducerClosedException;
import io.github.nsqspring.core.producer.PublishResult;
import io.github.nsqspring.core.config.PublishStrategy;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The producer against nsqd: embedded always, real binaries when NSQ_BIN_DIR is set.
 * Messages are counted on nsqd through {@code /stats}: a topic without channels keeps
 * every message, so its depth is the number of messages nsqd accepted.
 */
class ProducerIntegrationTests {

	enum Backend {

		EMBEDDED, REAL;

		NsqCluster start(int nodes, boolean lookupd) {
			NsqClusterSpec spec = NsqClusterSpec.of(nodes, lookupd);
			if (this == EMBEDDED) {
				return EmbeddedNsqCluster.start(spec);
			}
			Path binDir = ProcessNsqCluster.binDirFromEnvironment();
			Assumptions.assumeTrue(binDir != null, "NSQ_BIN_DIR is not set");
			return ProcessNsqCluster.start(spec, binDir);
		}

	}

	private static final HttpClient http = HttpClient.newHttpClient();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		Collections.reverse(this.closeables);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void concurrentPublishersAnswersInOrderAndEveryAcknowledgedMessageIsOnNsqd(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1, false);
		NsqProducer producer = producer(NsqProducer.builder().nsqd(cluster.nsqdTcpAddress(0)));
		String topic = "concurrent";
		AtomicLong acknowledged = new AtomicLong();
		List<Integer> answerOrder = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<?>> done = new ArrayList<>();
			// one thread publishes asynchronously and records the order of the answers
			done.add(CompletableFuture.runAsync(() -> {
				List<CompletableFuture<?>> futures = new ArrayList<>();
				for (int i = 0; i < 5000; i++) {
					int index = i;
					futures.add(producer.publishAsync(topic, body("async-" + i)).thenRun(() -> {
						answerOrder.add(index);
						acknowledged.incrementAndGet();
					}));
				}
				CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
			}, pool));
			// the others share the connection with sync PUB, MPUB and DPUB
			for (int t = 0; t < 7; t++) {
				int thread = t;
				done.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 300; i++) {
						PublishResult result = switch (i % 3) {
							case 0 -> producer.publish(topic, body(thread + "-" + i));
							case 1 -> producer.multiPublish(topic, List.of(body(thread + "-" + i + "a"),
									body(thread + "-" + i + "b"), body(thread + "-" + i + "c")));
							default -> producer.deferredPublish(topic, Duration.ZERO, body(thread + "-" + i));
						};
						acknowledged.addAndGet(result.messageCount());
					}
				}, pool));
			}
			CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(answerOrder).hasSize(5000).isSorted();
		assertThat(acknowledged).hasValue(5000 + 7 * (100 + 300 + 100));
		await().untilAsserted(() -> assertThat(depth(cluster, 0, topic)).isEqualTo(acknowledged.get()));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void nsqdRestartMidStreamLosesNoAcknowledgedMessageAndPublishingResumes(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1, false);
		NsqProducer producer = producer(NsqProducer.builder()
			.nsqd(cluster.nsqdTcpAddress(0))
			.producer((settings) -> settings.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))));
		String topic = "restart";
		AtomicLong acknowledged = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong maybePublished = new AtomicLong();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread publisher = new Thread(() -> {
			int i = 0;
			while (running.get()) {
				try {
					producer.publish(topic, body("m" + i++));
					acknowledged.incrementAndGet();
				}
				catch (NsqException ex) {
					failed.incrementAndGet();
					if (ex.getMessage().contains("may or may not")) {
						maybePublished.incrementAndGet();
					}
				}
			}
		}, "test-publisher");
		publisher.start();
		try {
			await().until(() -> acknowledged.get() > 200);
			cluster.stopNode(0);
			await().until(() -> failed.get() > 0);
			long beforeRestart = acknowledged.get();
			cluster.startNode(0);
			// publishing resumes on its own
			await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() > beforeRestart + 200);
		}
		finally {
			running.set(false);
			publisher.join(30_000);
		}
		long depth = depth(cluster, 0, topic);
		assertThat(depth).isGreaterThanOrEqualTo(acknowledged.get())
			.isLessThanOrEqualTo(acknowledged.get() + maybePublished.get());
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void badInputFailsItsCallOnlyAndTheSharedConnectionGoesOn(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1, false);
		NsqProducer producer = producer(NsqProducer.builder().nsqd(cluster.nsqdTcpAddress(0)));
		String topic = "badinput";
		producer.publish(topic, body("first"));
		CompletableFuture<PublishResult> inFlight = producer.publishAsync(topic, body("in flight"));
		assertThatThrownBy(() -> producer.publish("bad/topic", body("x"))).isInstanceOf(NsqInvalidNameException.class)
			.hasMessageContaining("bad/topic");
		assertThatThrownBy(() -> producer.publish(topic, new byte[0])).isInstanceOf(NsqInvalidMessageException.class);
		assertThatThrownBy(() -> producer.publish(topic, new byte[1024 * 1024 + 1]))
			.isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("1048577")
			.hasMessageContaining("1048576");
		List<byte[]> tooBig = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			tooBig.add(new byte[1024 * 1024]);
		}
		assertThatThrownBy(() -> producer.multiPublish(topic, tooBig)).isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("5242880");
		assertThatThrownBy(() -> producer.deferredPublish(topic, Duration.ofHours(2), body("x")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(inFlight.get(10, TimeUnit.SECONDS).topic()).isEqualTo(topic);
		producer.publish(topic, body("last"));
		await().untilAsserted(() -> assertThat(depth(cluster, 0, topic)).isEqualTo(3));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void failoverMovesToTheNextNodeAndReturnsAfterRecovery(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 2, false);
		NsqProducer producer = producer(NsqProducer.builder()
			.nsqd(cluster.nsqdTcpAddresses())
			.producer((settings) -> settings.strategy(PublishStrategy.FAILOVER)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))));
		String topic = "failover";
		for (int i = 0; i < 10; i++) {
			assertThat(producer.publish(topic, body("a" + i)).nsqdAddress()).isEqualTo(cluster.nsqdTcpAddress(0));
		}
		cluster.stopNode(0);
		// once the loss is seen, publishes go to node 1 without failing
		await().ignoreExceptions()
			.until(() -> producer.publish(topic, body("probe")).nsqdAddress().equals(cluster.nsqdTcpAddress(1)));
		for (int i = 0; i < 10; i++) {
			assertThat(producer.publish(topic, body("b" + i)).nsqdAddress()).isEqualTo(cluster.nsqdTcpAddress(1));
		}
		cluster.startNode(0);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> producer.publish(topic, body("c")).nsqdAddress().equals(cluster.nsqdTcpAddress(0)));
		assertThat(depth(cluster, 0, topic)).isGreaterThanOrEqualTo(11);
		assertThat(depth(cluster, 1, topic)).isGreaterThanOrEqualTo(11);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void roundRobinOverNodesDiscoveredThroughNsqlookupd(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 2, true);
		NsqProducer producer = producer(NsqProducer.builder().lookupd(cluster.lookupdHttpAddress()));
		String topic = "discovered";
		await().untilAsserted(() -> {
			List<String> used = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				used.add(producer.publish(topic, body("m" + i)).nsqdAddress());
			}
			assertThat(used).containsAll(cluster.nsqdTcpAddresses());
		});
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void closeWaitsForPendingWorkThenRefusesCalls(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1, false);
		NsqProducer producer = NsqProducer.builder()
			.nsqd(cluster.nsqdTcpAddress(0))
			.producer((settings) -> settings.closeTimeout(Duration.ofSeconds(30)))
			.build();
		String topic = "closing";
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			futures.add(producer.publishAsync(topic, body("m" + i)));
		}
		producer.close();
		assertThat(futures).allMatch((f) -> f.isDone() && !f.isCompletedExceptionally());
		assertThat(depth(cluster, 0, topic)).isEqualTo(10_000);
		assertThatThrownBy(() -> producer.publish(topic, body("late"))).isInstanceOf(ProducerClosedException.class);
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((t) -> t.isAlive() && t.getName().startsWith("nsq-reader-" + cluster.nsqdTcpAddress(0)));
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void publishingToAStoppedNodeFailsFastAndSaysWhen(Backend backend) throws Exception {
		NsqCluster cluster = cluster(backend, 1, false);
		NsqProducer producer = producer(NsqProducer.builder()
			.nsqd(cluster.nsqdTcpAddress(0))
			.producer((settings) -> settings.reconnectDelay(Duration.ofSeconds(5), Duration.ofSeconds(10))));
		cluster.stopNode(0);
		assertThatThrownBy(() -> producer.publish("t", body("x"))).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("not published");
		assertThatThrownBy(() -> producer.publish("t", body("y"))).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("retrying in");
	}

	private NsqCluster cluster(Backend backend, int nodes, boolean lookupd) {
		NsqCluster cluster = backend.start(nodes, lookupd);
		this.closeables.add(cluster);
		return cluster;
	}

	private NsqProducer producer(io.github.nsqspring.core.producer.NsqProducerBuilder builder) {
		NsqProducer producer = builder.producer((settings) -> settings.closeTimeout(Duration.ofSeconds(10))).build();
		this.closeables.add(producer);
		return producer;
	}

	private static byte[] body(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The topic's depth on one node (0 when the topic does not exist).
	 */
	@SuppressWarnings("unchecked")
	private static long depth(NsqCluster cluster, int node, String topic) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(URI.create("http://" + cluster.nsqdHttpAddress(node) + "/stats?format=json&topic=" + topic))
			.build(), HttpResponse.BodyHandlers.ofString());
		Map<String, Object> stats = Json.parseObject(response.body());
		if (stats.get("data") instanceof Map<?, ?> data) {
			stats = (Map<String, Object>) data;
		}
		long depth = 0;
		for (Object item : (List<Object>) stats.getOrDefault("topics", List.of())) {
			Map<String, Object> entry = (Map<String, Object>) item;
			if (topic.equals(entry.get("topic_name"))) {
				depth += Json.getLong(entry, "depth", 0);
			}
		}
		return depth;
	}

}
