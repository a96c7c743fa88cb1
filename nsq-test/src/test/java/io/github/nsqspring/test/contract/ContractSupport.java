package io.github.nsqspring.test.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared helpers of the contract tests. */
final class ContractSupport {

	private static final AtomicInteger NAMES = new AtomicInteger();

	private ContractSupport() {
	}

	/**
	 * A topic or channel name unique in this JVM run, so tests sharing a cluster do not
	 * meet.
	 */
	static String unique(String prefix) {
		return prefix + "-" + System.nanoTime() % 100000 + "-" + NAMES.incrementAndGet();
	}

	static byte[] bytes(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	static Map<String, Object> identifyBody(Object... keyValues) {
		Map<String, Object> body = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			body.put((String) keyValues[i], keyValues[i + 1]);
		}
		return body;
	}

	/** Connect, IDENTIFY (plain OK answer), SUB and RDY. */
	static RawNsqClient consumer(NsqCluster cluster, String topic, String channel, int rdy, Object... identify)
			throws IOException {
		RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0));
		if (identify.length > 0) {
			RawNsqClient.Frame answer = client.identify(identifyBody(identify));
			assertThat(answer.isOk()).as(answer.toString()).isTrue();
		}
		client.send("SUB " + topic + " " + channel);
		assertThat(client.readSkippingHeartbeats().isOk()).isTrue();
		if (rdy > 0) {
			client.send("RDY " + rdy);
		}
		return client;
	}

	static void publish(NsqCluster cluster, String topic, String... bodies) throws IOException {
		try (RawNsqClient producer = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			for (String body : bodies) {
				producer.send("PUB " + topic, bytes(body));
				RawNsqClient.Frame frame = producer.readSkippingHeartbeats();
				assertThat(frame.isOk()).as(frame.toString()).isTrue();
			}
		}
	}

	/** Error frame with exactly this text, then the server closes the connection. */
	static void assertFatal(RawNsqClient client, String text) throws IOException {
		RawNsqClient.Frame frame = client.readSkippingHeartbeats();
		assertThat(frame.type()).as(frame.toString()).isEqualTo(RawNsqClient.ERROR);
		assertThat(frame.text()).isEqualTo(text);
		assertThat(client.isClosedByServer()).as("connection closed after " + text).isTrue();
	}

	/** The channel's stats object from /stats?format=json, or null when absent. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> channelStats(NsqCluster cluster, int node, String topic, String channel) {
		Map<String, Object> topicStats = topicStats(cluster, node, topic);
		if (topicStats == null) {
			return null;
		}
		for (Object c : (List<Object>) topicStats.get("channels")) {
			Map<String, Object> stats = (Map<String, Object>) c;
			if (channel.equals(stats.get("channel_name"))) {
				return stats;
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> topicStats(NsqCluster cluster, int node, String topic) {
		HttpProbe.Response response = HttpProbe.get(cluster.nsqdHttpAddress(node), "/stats?format=json");
		Object topics = Json.parseObject(response.body()).get("topics");
		if (topics == null) {
			return null;
		}
		for (Object t : (List<Object>) topics) {
			Map<String, Object> stats = (Map<String, Object>) t;
			if (topic.equals(stats.get("topic_name"))) {
				return stats;
			}
		}
		return null;
	}

	static long number(Map<String, Object> object, String key) {
		return ((Number) object.get(key)).longValue();
	}

	/** Let time pass on purpose (a delay under test, not a condition to wait for). */
	static void elapse(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
