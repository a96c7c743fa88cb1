package io.github.nsqspring.test.contract;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.contract.HttpProbe.Response;

import static io.github.nsqspring.test.contract.ContractSupport.bytes;
import static io.github.nsqspring.test.contract.ContractSupport.channelStats;
import static io.github.nsqspring.test.contract.ContractSupport.consumer;
import static io.github.nsqspring.test.contract.ContractSupport.number;
import static io.github.nsqspring.test.contract.ContractSupport.topicStats;
import static io.github.nsqspring.test.contract.ContractSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nsqd's and nsqlookupd's HTTP APIs and node registration, on a 2-node cluster with a
 * lookupd. Subclasses choose the nsqd and nsqlookupd: embedded or real binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpAndLookupContract {

	private NsqCluster cluster;

	/**
	 * Start the cluster under test.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	@BeforeAll
	void startCluster() {
		cluster = start(NsqClusterSpec.of(2, true));
	}

	@AfterAll
	void stopCluster() {
		if (cluster != null) {
			cluster.close();
			cluster = null;
		}
	}

	private String nsqd() {
		return cluster.nsqdHttpAddress(0);
	}

	private String lookupd() {
		return cluster.lookupdHttpAddress();
	}

	@Test
	void pingInfoAndUnknownPaths() {
		Response ping = HttpProbe.get(nsqd(), "/ping");
		assertThat(ping.status()).isEqualTo(200);
		assertThat(ping.body()).isEqualTo("OK");
		Response info = HttpProbe.get(nsqd(), "/info");
		assertThat(info.nsqContentType()).isEqualTo("nsq; version=1.0");
		assertThat(info.json()).containsKeys("version", "broadcast_address", "hostname", "http_port", "tcp_port",
				"start_time", "max_heartbeat_interval", "max_output_buffer_size", "max_output_buffer_timeout",
				"max_deflate_level");
		assertThat(info.json().get("max_heartbeat_interval")).isEqualTo(60_000_000_000L);
		Response missing = HttpProbe.get(nsqd(), "/nope");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.message()).isEqualTo("NOT_FOUND");
		Response wrongMethod = HttpProbe.get(nsqd(), "/pub?topic=x");
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.message()).isEqualTo("METHOD_NOT_ALLOWED");
	}

	@Test
	void pubAndItsErrors() {
		String topic = unique("t");
		Response ok = HttpProbe.post(nsqd(), "/pub?topic=" + topic, "hello");
		assertThat(ok.status()).isEqualTo(200);
		assertThat(ok.body()).isEqualTo("OK");
		assertThat(HttpProbe.post(nsqd(), "/pub", "x").message()).isEqualTo("MISSING_ARG_TOPIC");
		Response invalid = HttpProbe.post(nsqd(), "/pub?topic=bad!", "x");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.message()).isEqualTo("INVALID_TOPIC");
		assertThat(HttpProbe.post(nsqd(), "/pub?topic=" + topic, "").message()).isEqualTo("MSG_EMPTY");
		assertThat(HttpProbe.post(nsqd(), "/pub?topic=" + topic + "&defer=-5", "x").message())
			.isEqualTo("INVALID_DEFER");
		assertThat(HttpProbe.post(nsqd(), "/pub?topic=" + topic + "&defer=abc", "x").message())
			.isEqualTo("INVALID_DEFER");
		Response tooBig = HttpProbe.post(nsqd(), "/pub?topic=" + topic, new byte[1024 * 1024 + 1]);
		assertThat(tooBig.status()).isEqualTo(413);
		assertThat(tooBig.message()).isEqualTo("MSG_TOO_BIG");
		assertThat(number(topicStats(cluster, 0, topic), "message_count")).isEqualTo(1);
	}

	@Test
	void anAnswerAfterWhichTheServerClosesTheConnectionSaysSo() {
		String topic = unique("t");
		Response kept = HttpProbe.postKeepingAlive(nsqd(), "/pub?topic=" + topic, "kept");
		assertThat(kept.status()).isEqualTo(200);
		assertThat(kept.connection()).as("a keep-alive request keeps its connection").isNull();
		Response asked = HttpProbe.post(nsqd(), "/pub?topic=" + topic, "closed");
		assertThat(asked.status()).isEqualTo(200);
		assertThat(asked.connection()).as("the client asked for Connection: close").isEqualTo("close");
		Response unread = HttpProbe.call("POST", nsqd(), "/pub?topic=" + topic, new byte[1024 * 1024 + 1]);
		assertThat(unread.status()).isEqualTo(413);
		assertThat(unread.connection()).as("a body too big to read ends the connection").isEqualTo("close");
		Response lookupd = HttpProbe.post(lookupd(), "/topic/create?topic=" + topic);
		assertThat(lookupd.status()).isEqualTo(200);
		assertThat(lookupd.connection()).isEqualTo("close");
		assertThat(number(topicStats(cluster, 0, topic), "message_count")).isEqualTo(2);
	}

	@Test
	void pubWithDeferIsDeferredInTheChannel() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1)) {
			assertThat(HttpProbe.post(nsqd(), "/pub?topic=" + topic + "&defer=60000", "later").status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> number(channelStats(cluster, 0, topic, "c"), "deferred_count") == 1);
			assertThat(client.poll(200)).isNull();
		}
	}

	@Test
	void mpubTextAndBinary() throws IOException {
		String topic = unique("t");
		assertThat(HttpProbe.post(nsqd(), "/mpub?topic=" + topic, "a\n\nb\nc\n").status()).isEqualTo(200);
		ByteArrayOutputStream raw = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(raw);
		out.writeInt(2);
		out.writeInt(1);
		out.write('x');
		out.writeInt(2);
		out.write(bytes("yz"));
		assertThat(HttpProbe.post(nsqd(), "/mpub?topic=" + topic + "&binary=true", raw.toByteArray()).status())
			.isEqualTo(200);
		assertThat(number(topicStats(cluster, 0, topic), "message_count")).isEqualTo(5);
		Response bad = HttpProbe.post(nsqd(), "/mpub?topic=" + topic + "&binary=true", new byte[] { 0, 0, 0, 0 });
		assertThat(bad.status()).isEqualTo(413);
		assertThat(bad.message()).isEqualTo("BAD_BODY");
	}

	@Test
	void topicAndChannelAdministration() throws IOException {
		String topic = unique("t");
		assertThat(HttpProbe.post(nsqd(), "/topic/create?topic=" + topic).body()).isEmpty();
		assertThat(HttpProbe.post(nsqd(), "/channel/create?topic=" + topic + "&channel=c").status()).isEqualTo(200);
		assertThat(HttpProbe.post(nsqd(), "/channel/create?topic=nope-" + topic + "&channel=c").message())
			.isEqualTo("TOPIC_NOT_FOUND");
		assertThat(HttpProbe.post(nsqd(), "/channel/create?topic=" + topic + "&channel=bad!").message())
			.isEqualTo("INVALID_ARG_CHANNEL");
		assertThat(HttpProbe.post(nsqd(), "/channel/delete?topic=" + topic + "&channel=zz").message())
			.isEqualTo("CHANNEL_NOT_FOUND");
		assertThat(HttpProbe.post(nsqd(), "/topic/delete?topic=nope-" + topic).status()).isEqualTo(404);
		assertThat(HttpProbe.post(nsqd(), "/topic/pause?topic=" + topic).status()).isEqualTo(200);
		assertThat(topicStats(cluster, 0, topic).get("paused")).isEqualTo(true);
		assertThat(HttpProbe.post(nsqd(), "/topic/unpause?topic=" + topic).status()).isEqualTo(200);

		try (RawNsqClient client = consumer(cluster, topic, "c", 5)) {
			assertThat(HttpProbe.post(nsqd(), "/channel/pause?topic=" + topic + "&channel=c").status()).isEqualTo(200);
			HttpProbe.post(nsqd(), "/pub?topic=" + topic, "paused");
			assertThat(client.poll(400)).as("a paused channel delivers nothing").isNull();
			assertThat(channelStats(cluster, 0, topic, "c").get("paused")).isEqualTo(true);
			HttpProbe.post(nsqd(), "/channel/unpause?topic=" + topic + "&channel=c");
			assertThat(client.readMessage().text()).isEqualTo("paused");

			HttpProbe.post(nsqd(), "/channel/pause?topic=" + topic + "&channel=c");
			HttpProbe.post(nsqd(), "/pub?topic=" + topic, "dropped");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> number(channelStats(cluster, 0, topic, "c"), "depth") == 1);
			assertThat(HttpProbe.post(nsqd(), "/channel/empty?topic=" + topic + "&channel=c").status()).isEqualTo(200);
			assertThat(number(channelStats(cluster, 0, topic, "c"), "depth")).isZero();

			assertThat(HttpProbe.post(nsqd(), "/channel/delete?topic=" + topic + "&channel=c").status()).isEqualTo(200);
			assertThat(client.isClosedByServer()).as("deleting a channel closes its consumers").isTrue();
		}
		assertThat(HttpProbe.post(nsqd(), "/topic/delete?topic=" + topic).status()).isEqualTo(200);
		assertThat(topicStats(cluster, 0, topic)).isNull();
	}

	@Test
	@SuppressWarnings("unchecked")
	void statsShape() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1)) {
			HttpProbe.post(nsqd(), "/pub?topic=" + topic, "s");
			client.readMessage();
			Response response = HttpProbe.get(nsqd(), "/stats?format=json&topic=" + topic);
			assertThat(response.nsqContentType()).isEqualTo("nsq; version=1.0");
			Map<String, Object> stats = response.json();
			assertThat(stats).containsKeys("version", "health", "start_time", "topics", "producers");
			Map<String, Object> t = (Map<String, Object>) ((List<Object>) stats.get("topics")).get(0);
			assertThat(t).containsKeys("topic_name", "channels", "depth", "backend_depth", "message_count",
					"message_bytes", "paused", "e2e_processing_latency");
			Map<String, Object> c = (Map<String, Object>) ((List<Object>) t.get("channels")).get(0);
			assertThat(c).containsKeys("channel_name", "depth", "backend_depth", "in_flight_count", "deferred_count",
					"message_count", "requeue_count", "timeout_count", "client_count", "clients", "paused",
					"e2e_processing_latency");
			assertThat(number(c, "in_flight_count")).isEqualTo(1);
			Map<String, Object> clientStats = (Map<String, Object>) ((List<Object>) c.get("clients")).get(0);
			assertThat(clientStats).containsKeys("client_id", "hostname", "version", "remote_address", "state",
					"ready_count", "in_flight_count", "message_count", "finish_count", "requeue_count", "connect_ts",
					"sample_rate", "deflate", "snappy", "user_agent", "tls", "tls_cipher_suite", "tls_version");
			assertThat(clientStats.get("state")).isEqualTo(3L);
			assertThat(clientStats.get("version")).isEqualTo("V2");
			Map<String, Object> missing = HttpProbe.get(nsqd(), "/stats?format=json&topic=none-" + topic).json();
			assertThat(missing).containsEntry("topics", null);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void aNewTopicGetsTheChannelsLookupdKnowsForIt() {
		String topic = unique("t");
		HttpProbe.post(cluster.nsqdHttpAddress(1), "/topic/create?topic=" + topic);
		HttpProbe.post(cluster.nsqdHttpAddress(1), "/channel/create?topic=" + topic + "&channel=ch");
		HttpProbe.post(cluster.nsqdHttpAddress(1), "/channel/create?topic=" + topic + "&channel=tmp%23ephemeral");
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Response r = HttpProbe.get(lookupd(), "/channels?topic=" + topic);
			return ((List<Object>) r.json().get("channels")).size() == 2;
		});
		// node 0 does not have the topic: the publish creates it with lookupd's channels,
		// except the ephemeral one, and the message reaches the channel
		HttpProbe.post(nsqd(), "/pub?topic=" + topic, "x");
		Map<String, Object> stats = HttpProbe.get(nsqd(), "/stats?format=json&topic=" + topic).json();
		List<Object> channels = (List<Object>) ((Map<String, Object>) ((List<Object>) stats.get("topics")).get(0))
			.get("channels");
		assertThat(channels).hasSize(1);
		assertThat((Map<String, Object>) channels.get(0)).containsEntry("channel_name", "ch")
			.containsEntry("depth", 1L);
	}

	@Test
	@SuppressWarnings("unchecked")
	void lookupdFindsTheNodesThatHaveATopic() {
		String topic = unique("t");
		Response notFound = HttpProbe.get(lookupd(), "/lookup?topic=" + topic);
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.message()).isEqualTo("TOPIC_NOT_FOUND");
		assertThat(HttpProbe.get(lookupd(), "/lookup").message()).isEqualTo("MISSING_ARG_TOPIC");

		HttpProbe.post(cluster.nsqdHttpAddress(1), "/pub?topic=" + topic, "x");
		HttpProbe.post(cluster.nsqdHttpAddress(1), "/channel/create?topic=" + topic + "&channel=ch");
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			Response r = HttpProbe.get(lookupd(), "/lookup?topic=" + topic);
			return r.status() == 200 && ((List<Object>) r.json().get("channels")).contains("ch");
		});
		Map<String, Object> lookup = HttpProbe.get(lookupd(), "/lookup?topic=" + topic).json();
		List<Object> producers = (List<Object>) lookup.get("producers");
		assertThat(producers).hasSize(1);
		Map<String, Object> peer = (Map<String, Object>) producers.get(0);
		assertThat(peer).containsKeys("remote_address", "hostname", "broadcast_address", "tcp_port", "http_port",
				"version");
		assertThat(peer.get("broadcast_address") + ":" + peer.get("tcp_port")).isEqualTo(cluster.nsqdTcpAddress(1));

		assertThat((List<Object>) HttpProbe.get(lookupd(), "/topics").json().get("topics")).contains(topic);
		assertThat(HttpProbe.get(lookupd(), "/channels?topic=" + topic).json().get("channels"))
			.isEqualTo(List.of("ch"));
		assertThat(HttpProbe.get(lookupd(), "/channels?topic=none-" + topic).json().get("channels"))
			.isEqualTo(List.of());
		List<Object> nodes = (List<Object>) HttpProbe.get(lookupd(), "/nodes").json().get("producers");
		assertThat(nodes).hasSize(2);
		assertThat((Map<String, Object>) nodes.get(0)).containsKeys("tombstones", "topics", "broadcast_address",
				"tcp_port", "http_port");
		assertThat(HttpProbe.get(lookupd(), "/ping").body()).isEqualTo("OK");
		assertThat(HttpProbe.get(lookupd(), "/info").json()).containsKey("version");
	}

	@Test
	@SuppressWarnings("unchecked")
	void aStoppedNodeDisappearsFromLookupAndComesBack() {
		String topic = unique("t");
		HttpProbe.post(cluster.nsqdHttpAddress(0), "/topic/create?topic=" + topic);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> HttpProbe.get(lookupd(), "/lookup?topic=" + topic).status() == 200
					&& ((List<Object>) HttpProbe.get(lookupd(), "/lookup?topic=" + topic).json().get("producers"))
						.size() == 1);
		cluster.stopNode(0);
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				Response r = HttpProbe.get(lookupd(), "/lookup?topic=" + topic);
				return r.status() == 200 && ((List<Object>) r.json().get("producers")).isEmpty();
			});
			assertThat((List<Object>) HttpProbe.get(lookupd(), "/nodes").json().get("producers")).hasSize(1);
		}
		finally {
			cluster.startNode(0);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ((List<Object>) HttpProbe.get(lookupd(), "/lookup?topic=" + topic).json().get("producers"))
				.size() == 1);
	}

	@Test
	void lookupdAdministration() {
		String topic = unique("t");
		assertThat(HttpProbe.post(lookupd(), "/topic/create?topic=bad!").message()).isEqualTo("INVALID_ARG_TOPIC");
		assertThat(HttpProbe.post(lookupd(), "/topic/create?topic=" + topic).status()).isEqualTo(200);
		Response created = HttpProbe.get(lookupd(), "/lookup?topic=" + topic);
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.json().get("producers")).isEqualTo(List.of());
		assertThat(HttpProbe.post(lookupd(), "/channel/create?topic=" + topic + "&channel=c").status()).isEqualTo(200);
		assertThat(HttpProbe.get(lookupd(), "/channels?topic=" + topic).json().get("channels")).isEqualTo(List.of("c"));
		assertThat(HttpProbe.post(lookupd(), "/channel/delete?topic=" + topic + "&channel=zz").status()).isEqualTo(404);
		assertThat(HttpProbe.post(lookupd(), "/channel/delete?topic=" + topic + "&channel=c").status()).isEqualTo(200);
		assertThat(HttpProbe.post(lookupd(), "/topic/tombstone?topic=" + topic).message())
			.isEqualTo("MISSING_ARG_NODE");
		assertThat(HttpProbe.post(lookupd(), "/topic/delete?topic=" + topic).status()).isEqualTo(200);
		assertThat(HttpProbe.get(lookupd(), "/lookup?topic=" + topic).status()).isEqualTo(404);
	}

	@Test
	@SuppressWarnings("unchecked")
	void tombstonedProducerIsHiddenFromLookup() {
		String topic = unique("t");
		HttpProbe.post(cluster.nsqdHttpAddress(1), "/topic/create?topic=" + topic);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> HttpProbe.get(lookupd(), "/lookup?topic=" + topic).status() == 200
					&& !((List<Object>) HttpProbe.get(lookupd(), "/lookup?topic=" + topic).json().get("producers"))
						.isEmpty());
		assertThat(HttpProbe.post(lookupd(), "/topic/tombstone?topic=" + topic + "&node=" + cluster.nsqdHttpAddress(1))
			.status()).isEqualTo(200);
		assertThat(HttpProbe.get(lookupd(), "/lookup?topic=" + topic).json().get("producers")).isEqualTo(List.of());
	}

}
