package io.github.nsqspring.test.integration.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.test.NsqCluster;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A channel's counters as nsqd reports them on {@code /stats?format=json}: what a test
 * asserts on to prove what nsqd saw, not what the client believes it sent.
 *
 * @param depth messages queued (in memory and on disk)
 * @param inFlight messages delivered and not answered
 * @param deferred messages requeued with a delay or published deferred
 * @param messageCount messages the channel received
 * @param requeueCount REQ received (each one an attempt more)
 * @param timeoutCount messages whose in-flight timeout expired
 * @param clients the subscribed clients' counters
 */
record NsqdStats(long depth, long inFlight, long deferred, long messageCount, long requeueCount, long timeoutCount,
		List<Map<String, Object>> clients) {

	/**
	 * Messages finished on this channel: neither queued, in flight nor deferred any more.
	 * Holds while nothing else removes messages (no channel empty, no ephemeral
	 * overflow).
	 * @return the count
	 */
	long finished() {
		return this.messageCount - this.depth - this.inFlight - this.deferred;
	}

	/**
	 * The channel's counters once nsqd has processed every answer sent to it: a consumer
	 * that stopped (or answered everything it was given) has sent its FINs and REQs, but
	 * nsqd reads them on its own schedule, so wait until it shows nothing in flight.
	 */
	static NsqdStats settled(NsqCluster cluster, int node, String topic, String channel) {
		NsqdStats[] last = new NsqdStats[1];
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> (last[0] = of(cluster, node, topic, channel)).inFlight() == 0);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"nsqd still shows messages in flight on " + topic + "/" + channel + " after 30 s: " + last[0], ex);
		}
		return last[0];
	}

	@SuppressWarnings("unchecked")
	static NsqdStats of(NsqCluster cluster, int node, String topic, String channel) {
		Map<String, Object> root = Json
			.parseObject(get(cluster.nsqdHttpAddress(node), "/stats?format=json&topic=" + topic));
		Object topics = root.get("topics");
		for (Object t : (topics != null) ? (List<Object>) topics : List.of()) {
			Map<String, Object> topicStats = (Map<String, Object>) t;
			if (!topic.equals(topicStats.get("topic_name"))) {
				continue;
			}
			for (Object c : (List<Object>) topicStats.get("channels")) {
				Map<String, Object> stats = (Map<String, Object>) c;
				if (channel.equals(stats.get("channel_name"))) {
					List<Map<String, Object>> clients = (List<Map<String, Object>>) stats.get("clients");
					return new NsqdStats(number(stats, "depth"), number(stats, "in_flight_count"),
							number(stats, "deferred_count"), number(stats, "message_count"),
							number(stats, "requeue_count"), number(stats, "timeout_count"),
							(clients != null) ? clients : List.of());
				}
			}
		}
		throw new IllegalStateException(
				"nsqd " + cluster.nsqdHttpAddress(node) + " has no channel " + topic + "/" + channel);
	}

	static long number(Map<String, Object> object, String key) {
		return ((Number) object.get(key)).longValue();
	}

	private static String get(String address, String pathAndQuery) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + address + pathAndQuery)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(15000);
			try (InputStream in = connection.getInputStream()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
