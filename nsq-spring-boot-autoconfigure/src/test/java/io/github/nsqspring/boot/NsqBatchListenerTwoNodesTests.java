package io.github.nsqspring.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.test.NsqdChannelStats;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch gathers messages from two nsqd nodes, and each message is answered on the
 * connection it came from: both nodes end with nothing in flight, nothing requeued and
 * nothing timed out.
 */
@SpringBootTest(classes = NsqBatchListenerTwoNodesTests.App.class)
@EmbeddedNsq(nodes = 2)
class NsqBatchListenerTwoNodesTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private App app;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Autowired
	private NsqListenerEndpointRegistry registry;

	@Test
	void aBatchSpansBothNodesAndEachMessageIsFinishedWhereItCameFrom() throws Exception {
		for (int node = 0; node < 2; node++) {
			for (int i = 0; i < 3; i++) {
				this.cluster.nsqd(node)
					.publish("e2e-two-nodes", ("n" + node + "-" + i).getBytes(StandardCharsets.UTF_8));
			}
		}
		// each node holds 3 messages, so a batch of 6 must take from both
		this.registry.getListenerContainer("two-nodes").start();
		await().atMost(WAIT).until(() -> this.app.batches.size() == 1);
		List<Message<String>> batch = this.app.batches.get(0);
		assertThat(batch).hasSize(6);
		assertThat(batch).extracting((message) -> message.getHeaders().get(NsqHeaders.NSQD_ADDRESS))
			.containsOnly(this.cluster.nsqdTcpAddress(0), this.cluster.nsqdTcpAddress(1));
		for (int node = 0; node < 2; node++) {
			String http = this.cluster.nsqdHttpAddress(node);
			await().atMost(WAIT)
				.until(() -> NsqdChannelStats.get(http, "e2e-two-nodes", "test", "in_flight_count") == 0);
			assertThat(NsqdChannelStats.get(http, "e2e-two-nodes", "test", "depth")).isZero();
			assertThat(NsqdChannelStats.get(http, "e2e-two-nodes", "test", "requeue_count")).isZero();
			assertThat(NsqdChannelStats.get(http, "e2e-two-nodes", "test", "timeout_count")).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<List<Message<String>>> batches = new CopyOnWriteArrayList<>();

		@NsqListener(id = "two-nodes", topic = "e2e-two-nodes", channel = "test", autoStartup = "false", batch = "true",
				maxInFlight = "6", batchSize = "6", batchTimeout = "10s")
		void onBatch(List<Message<String>> messages) {
			this.batches.add(List.copyOf(messages));
		}

	}

}
