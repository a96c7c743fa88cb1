package io.github.nsqspring.boot.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * NsqAdmin against two nsqd registered with one nsqlookupd: run against the embedded
 * servers and, with {@code NSQ_BIN_DIR}, against real ones. Every check reads nsqd's own
 * {@code /stats}; each test has its own topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NsqAdminContract {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final AtomicInteger counter = new AtomicInteger();

	private NsqCluster cluster;

	/** Knows node 0 by its HTTP address and node 1 only through nsqlookupd. */
	private NsqAdmin admin;

	abstract NsqCluster start(NsqClusterSpec spec);

	@BeforeAll
	void startCluster() {
		this.cluster = start(NsqClusterSpec.of(2, true));
		this.admin = new NsqAdmin(List.of(this.cluster.nsqdHttpAddress(0)), List.of(this.cluster.lookupdHttpAddress()));
		await().atMost(WAIT).until(() -> this.admin.nodes().size() == 2);
	}

	@AfterAll
	void stopCluster() {
		this.cluster.close();
	}

	private static String unique(String name) {
		return name + "-" + counter.incrementAndGet();
	}

	@Test
	void nodesAreTheConfiguredOnesAndThoseNsqlookupdLists() {
		assertThat(this.admin.nodes()).containsExactlyInAnyOrder(this.cluster.nsqdHttpAddress(0),
				this.cluster.nsqdHttpAddress(1));
	}

	@Test
	void createChannelCreatesTopicAndChannelOnEveryNode() {
		String topic = unique("admin-create");
		this.admin.createChannel(topic, "billing");
		for (int node = 0; node < 2; node++) {
			assertThat(channel(node, topic, "billing")).isPresent();
		}
	}

	@Test
	void creatingAgainChangesNothingAndLosesNoMessage() {
		String topic = unique("admin-idempotent");
		this.admin.createChannel(topic, "billing");
		publish(0, topic, "one");
		this.admin.createTopic(topic);
		this.admin.createChannel(topic, "billing");
		this.admin.declare(NsqDeclarables.topicWithChannels(topic, "billing").getDeclarables());
		assertThat(channel(0, topic, "billing")).hasValueSatisfying((channel) -> {
			assertThat(channel.depth()).isEqualTo(1);
			assertThat(channel.messageCount()).isEqualTo(1);
		});
	}

	@Test
	void declaredChannelsEachReceiveEveryMessagePublishedAfterwards() {
		String topic = unique("admin-declare");
		List<String> nodes = this.admin
			.declare(NsqDeclarables.topicWithChannels(topic, "billing", "audit").getDeclarables());
		assertThat(nodes).hasSize(2);
		publish(1, topic, "first");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(channel(1, topic, "billing")).get().extracting(NsqdStats.ChannelStats::depth).isEqualTo(1L);
			assertThat(channel(1, topic, "audit")).get().extracting(NsqdStats.ChannelStats::depth).isEqualTo(1L);
		});
	}

	@Test
	void aNodeThatGetsTheTopicLaterCreatesTheDeclaredChannelsFromNsqlookupd() {
		String topic = unique("admin-later");
		NsqAdmin nodeZeroOnly = new NsqAdmin(List.of(this.cluster.nsqdHttpAddress(0)), List.of());
		nodeZeroOnly.declare(NsqDeclarables.topicWithChannels(topic, "billing", "audit").getDeclarables());
		LookupdClient lookupd = new LookupdClient(List.of(this.cluster.lookupdHttpAddress()), NsqConfig.defaults());
		await().atMost(WAIT).until(() -> lookupd.lookup(topic).channels().size() == 2);
		assertThat(topic(1, topic)).isEmpty();
		// nsqd asks nsqlookupd for the topic's channels when a publish creates the topic
		publish(1, topic, "first on node 1");
		assertThat(channel(1, topic, "billing")).get().extracting(NsqdStats.ChannelStats::depth).isEqualTo(1L);
		assertThat(channel(1, topic, "audit")).get().extracting(NsqdStats.ChannelStats::depth).isEqualTo(1L);
	}

	@Test
	void pauseAndUnpauseChannelAndTopic() {
		String topic = unique("admin-pause");
		this.admin.createChannel(topic, "billing");
		this.admin.pauseChannel(topic, "billing");
		this.admin.pauseTopic(topic);
		for (int node = 0; node < 2; node++) {
			assertThat(channel(node, topic, "billing")).get()
				.extracting(NsqdStats.ChannelStats::paused)
				.isEqualTo(true);
			assertThat(topic(node, topic)).get().extracting(NsqdStats.TopicStats::paused).isEqualTo(true);
		}
		this.admin.unpauseChannel(topic, "billing");
		this.admin.unpauseTopic(topic);
		for (int node = 0; node < 2; node++) {
			assertThat(channel(node, topic, "billing")).get()
				.extracting(NsqdStats.ChannelStats::paused)
				.isEqualTo(false);
			assertThat(topic(node, topic)).get().extracting(NsqdStats.TopicStats::paused).isEqualTo(false);
		}
	}

	@Test
	void emptyChannelDropsItsMessages() {
		String topic = unique("admin-empty");
		this.admin.createChannel(topic, "billing");
		publish(0, topic, "one");
		publish(0, topic, "two");
		await().atMost(WAIT)
			.until(() -> channel(0, topic, "billing").map(NsqdStats.ChannelStats::depth).orElse(0L) == 2);
		this.admin.emptyChannel(topic, "billing");
		assertThat(channel(0, topic, "billing")).get().extracting(NsqdStats.ChannelStats::depth).isEqualTo(0L);
	}

	@Test
	void emptyTopicDropsWhatNoChannelTookYet() {
		String topic = unique("admin-empty-topic");
		this.admin.createTopic(topic);
		publish(0, topic, "waiting");
		assertThat(topic(0, topic)).get().extracting(NsqdStats.TopicStats::depth).isEqualTo(1L);
		this.admin.emptyTopic(topic);
		assertThat(topic(0, topic)).get().extracting(NsqdStats.TopicStats::depth).isEqualTo(0L);
	}

	@Test
	void deleteChannelAndTopicOnEveryNodeThatHasThem() {
		String topic = unique("admin-delete");
		this.admin.createChannel(topic, "billing");
		assertThat(this.admin.deleteChannel(topic, "billing")).isTrue();
		assertThat(channel(0, topic, "billing")).isEmpty();
		assertThat(channel(1, topic, "billing")).isEmpty();
		assertThat(this.admin.deleteChannel(topic, "billing")).isFalse();
		assertThat(this.admin.deleteTopic(topic)).isTrue();
		assertThat(topic(0, topic)).isEmpty();
		assertThat(this.admin.deleteTopic(topic)).isFalse();
	}

	@Test
	void pausingWhatNoNodeHasFailsSayingSo() {
		String topic = unique("admin-missing");
		assertThatExceptionOfType(NsqAdminException.class).isThrownBy(() -> this.admin.pauseTopic(topic))
			.withMessageContaining("pause topic " + topic)
			.withMessageContaining("no nsqd has it");
		assertThatExceptionOfType(NsqAdminException.class).isThrownBy(() -> this.admin.emptyChannel(topic, "x"))
			.withMessageContaining("no nsqd has it");
	}

	@Test
	void invalidNamesFailBeforeAnythingIsSent() {
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> this.admin.createTopic("bad topic!"))
			.withMessageContaining("bad topic!");
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> this.admin.createChannel("orders", "bad/channel"))
			.withMessageContaining("bad/channel");
	}

	@Test
	void invalidAddressesFailWhenTheAdminIsCreated() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> new NsqAdmin(List.of("127.0.0.1"), List.of()))
			.withMessageContaining("\"127.0.0.1\"");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> new NsqAdmin(List.of("not a host:4151"), List.of()))
			.withMessageContaining("not a host:4151");
	}

	@Test
	void anUnreachableNodeIsNamedAndTheOthersAreStillDone() throws IOException {
		String dead = "127.0.0.1:" + closedPort();
		NsqAdmin withDeadNode = new NsqAdmin(List.of(dead, this.cluster.nsqdHttpAddress(0)), List.of(),
				Duration.ofSeconds(2), NsqConfig.defaults());
		String topic = unique("admin-unreachable");
		assertThatExceptionOfType(NsqAdminException.class)
			.isThrownBy(() -> withDeadNode.createChannel(topic, "billing"))
			.withMessageContaining(dead)
			.withMessageContaining("unreachable")
			.satisfies((ex) -> assertThat(ex.getFailures()).hasSize(1));
		assertThat(channel(0, topic, "billing")).isPresent();
	}

	@Test
	void anUnreachableNsqlookupdIsNamedAndTheConfiguredNodesAreStillDone() throws IOException {
		String deadLookupd = "127.0.0.1:" + closedPort();
		NsqAdmin withDeadLookupd = new NsqAdmin(List.of(this.cluster.nsqdHttpAddress(0)), List.of(deadLookupd),
				Duration.ofSeconds(2), NsqConfig.defaults());
		String topic = unique("admin-lookupd-down");
		assertThatExceptionOfType(NsqAdminException.class)
			.isThrownBy(() -> withDeadLookupd.declare(new NsqChannel(topic, "billing")))
			.withMessageContaining("nsqlookupd")
			.withMessageContaining(deadLookupd);
		assertThat(channel(0, topic, "billing")).isPresent();
	}

	@Test
	void statsOfEveryNode() {
		String topic = unique("admin-stats");
		this.admin.createChannel(topic, "billing");
		List<NsqdStats> stats = this.admin.stats();
		assertThat(stats).extracting(NsqdStats::node)
			.containsExactlyInAnyOrder(this.cluster.nsqdHttpAddress(0), this.cluster.nsqdHttpAddress(1));
		assertThat(stats).allSatisfy((node) -> {
			assertThat(node.version()).isNotEmpty();
			assertThat(node.topic(topic)).get()
				.satisfies((t) -> assertThat(t.channel("billing")).get()
					.extracting(NsqdStats.ChannelStats::clientCount)
					.isEqualTo(0L));
		});
	}

	private Optional<NsqdStats.TopicStats> topic(int node, String topic) {
		String address = this.cluster.nsqdHttpAddress(node);
		return this.admin.stats()
			.stream()
			.filter((stats) -> stats.node().equals(address))
			.findFirst()
			.flatMap((stats) -> stats.topic(topic));
	}

	private Optional<NsqdStats.ChannelStats> channel(int node, String topic, String channel) {
		return topic(node, topic).flatMap((stats) -> stats.channel(channel));
	}

	private void publish(int node, String topic, String body) {
		try (NsqProducer producer = NsqProducer.builder().nsqd(this.cluster.nsqdTcpAddress(node)).build()) {
			producer.publish(topic, body.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
