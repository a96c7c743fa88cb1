package io.github.nsqspring.test.integration.consumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing through nsqd's HTTP API for consumer tests, the channel created first so
 * that it gets every message.
 */
final class NsqdHttp {

	private static final HttpClient http = HttpClient.newHttpClient();

	private NsqdHttp() {
	}

	/**
	 * Publish {@code <topic>-0} to {@code <topic>-<count-1>} to node 0, after creating
	 * channel {@code ch}.
	 */
	static void publish(NsqCluster cluster, String topic, int count) throws Exception {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(topic + "-" + i);
		}
		publish(cluster, 0, topic, bodies);
	}

	static void publish(NsqCluster cluster, int node, String topic, List<String> bodies) throws Exception {
		String nsqd = "http://" + cluster.nsqdHttpAddress(node);
		post(nsqd + "/topic/create?topic=" + topic, "");
		post(nsqd + "/channel/create?topic=" + topic + "&channel=ch", "");
		if (!bodies.isEmpty()) {
			post(nsqd + "/mpub?topic=" + topic, String.join("\n", bodies));
		}
	}

	private static void post(String url, String body) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("POST %s: %s", url, response.body()).isEqualTo(200);
	}

}
