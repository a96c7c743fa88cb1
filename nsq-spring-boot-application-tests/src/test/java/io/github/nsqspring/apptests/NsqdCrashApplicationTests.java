package io.github.nsqspring.apptests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.nsqspring.apptests.fixtures.publisher.PublisherApplication;
import io.github.nsqspring.boot.admin.NsqdStats.ChannelStats;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.process.ProcessNsqCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publishing application while nsqd crashes: real nsqd only (the embedded one keeps
 * nothing on disk), from {@code NSQ_BIN_DIR}, writing every message to disk and syncing
 * it ({@code --mem-queue-size=0 --sync-every=1}).
 *
 * @author nsq-spring
 */
@EnabledIfEnvironmentVariable(named = ProcessNsqCluster.BIN_DIR_ENV, matches = ".+")
class NsqdCrashApplicationTests extends ApplicationTestSupport {

	private static final int COUNT = 600;

	@Override
	NsqClusterSpec spec() {
		return NsqClusterSpec.of(1, false).withOptions(NsqdOptions.builder().memQueueSize(0).syncEvery(1).build());
	}

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return ProcessNsqCluster.start(spec, ProcessNsqCluster.binDirFromEnvironment());
	}

	@Test
	void everyAcknowledgedPublishIsOnNsqdAfterItWasKilledAndRestartedMidPublish() throws Exception {
		String topic = "crash";
		this.nsqd.createChannel(topic, "archive");
		Path acked = this.files.resolve("acked.txt");
		LaunchedApp publisher = launch("publisher", PublisherApplication.class, "--app.topic=" + topic,
				"--app.count=" + COUNT, "--app.acked-file=" + acked);
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(10)).until(() -> lines(acked).size() >= COUNT / 4);
		((ProcessNsqCluster) this.cluster).killNode(0);
		int ackedAtKill = lines(acked).size();
		// it goes on publishing while nsqd is down, and is refused
		publisher.awaitLine("PUBLISH FAILED", Duration.ofSeconds(10));
		this.cluster.startNode(0);
		assertThat(publisher.awaitExit(LAUNCH)).isTrue();
		assertThat(publisher.process().exitValue()).isZero();
		assertThat(publisher.output()).contains("PUBLISHED " + COUNT);
		List<String> acknowledged = lines(acked);
		assertThat(acknowledged).hasSize(COUNT);
		Set<String> onNsqd = drain(topic);
		assertThat(onNsqd).containsAll(acknowledged);
		System.out.printf("(d) [real nsqd, --mem-queue-size=0 --sync-every=1] killed (SIGKILL) after %d of %d "
				+ "acknowledged publishes and restarted: all %d acknowledged are on nsqd (%d distinct messages "
				+ "there)%n", ackedAtKill, COUNT, acknowledged.size(), onNsqd.size());
	}

	/**
	 * Consume everything the channel holds.
	 * @return the distinct bodies
	 */
	private Set<String> drain(String topic) {
		Set<String> bodies = ConcurrentHashMap.newKeySet();
		try (NsqConsumer consumer = NsqConsumer.builder(topic, "archive")
			.config(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(100)).build())
			.nsqd(this.cluster.nsqdTcpAddress(0))
			.handler((message) -> bodies.add(new String(message.body(), StandardCharsets.UTF_8)))
			.build()) {
			consumer.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				ChannelStats stats = this.nsqd.channel(topic, "archive");
				return !bodies.isEmpty() && stats.depth() == 0 && stats.inFlightCount() == 0;
			});
		}
		return bodies;
	}

}
