package io.github.nsqspring.boot.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a channel's counters from nsqd's {@code /stats?format=json}, as an operator
 * would.
 */
public final class NsqdChannelStats {

	private NsqdChannelStats() {
	}

	/**
	 * One counter of a channel.
	 * @param nsqdHttpAddress nsqd's HTTP {@code host:port}
	 * @param topic the topic
	 * @param channel the channel
	 * @param stat the counter, e.g. {@code depth}, {@code in_flight_count},
	 * {@code requeue_count}, {@code timeout_count}
	 * @return the value, or -1 when nsqd has no such channel
	 * @throws Exception when nsqd cannot be asked
	 */
	public static long get(String nsqdHttpAddress, String topic, String channel, String stat) throws Exception {
		JsonNode c = channel(nsqdHttpAddress, topic, channel);
		return (c != null) ? c.get(stat).asLong() : -1;
	}

	/**
	 * One counter of every client subscribed to a channel.
	 * @param nsqdHttpAddress nsqd's HTTP {@code host:port}
	 * @param topic the topic
	 * @param channel the channel
	 * @param stat the client counter, e.g. {@code ready_count}, {@code in_flight_count},
	 * {@code finish_count}
	 * @return the values, one per client; empty when nsqd has no such channel
	 * @throws Exception when nsqd cannot be asked
	 */
	public static List<Long> clients(String nsqdHttpAddress, String topic, String channel, String stat)
			throws Exception {
		JsonNode c = channel(nsqdHttpAddress, topic, channel);
		List<Long> values = new ArrayList<>();
		if (c != null) {
			for (JsonNode client : c.get("clients")) {
				values.add(client.get(stat).asLong());
			}
		}
		return values;
	}

	private static @Nullable JsonNode channel(String nsqdHttpAddress, String topic, String channel) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI
					.create("http://" + nsqdHttpAddress + "/stats?format=json&topic=" + topic + "&channel=" + channel))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		JsonNode root = JsonMapper.builder().build().readTree(response.body());
		JsonNode topics = root.has("topics") ? root.get("topics") : root.get("data").get("topics");
		for (JsonNode t : topics) {
			if (t.get("topic_name").asString().equals(topic)) {
				for (JsonNode c : t.get("channels")) {
					if (c.get("channel_name").asString().equals(channel)) {
						return c;
					}
				}
			}
		}
		return null;
	}

}
