package io.github.nsqspring.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The few calls of nsqd's HTTP API the harness needs: stats of a topic, topic and channel
 * creation and deletion, binary {@code /mpub} to pre-fill a topic independently of the
 * client under test, and {@code /debug/freememory} to start each timed window against an
 * nsqd holding no memory freed by earlier runs.
 */
public final class NsqdHttp {

	private final String base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/**
	 * Create a client.
	 * @param httpAddress nsqd's HTTP {@code host:port}
	 */
	public NsqdHttp(String httpAddress) {
		this.base = "http://" + httpAddress;
	}

	/**
	 * The counters of one topic.
	 * @param topic the topic
	 * @return its stats, {@link NsqdStats#absent(String)} when nsqd does not know it
	 * @throws IOException when nsqd cannot be reached or answers with an error
	 */
	public NsqdStats stats(String topic) throws IOException {
		String body = send("GET", "/stats?format=json&include_clients=false&include_mem=false&topic=" + encode(topic),
				null);
		return NsqdStats.parse(body, topic);
	}

	/**
	 * Answer of {@code /ping}.
	 * @throws IOException when nsqd is not healthy
	 */
	public void ping() throws IOException {
		send("GET", "/ping", null);
	}

	/**
	 * Create a topic.
	 * @param topic the topic
	 * @throws IOException on an error
	 */
	public void createTopic(String topic) throws IOException {
		send("POST", "/topic/create?topic=" + encode(topic), null);
	}

	/**
	 * Create a topic (when missing) and a channel in it.
	 * @param topic the topic
	 * @param channel the channel
	 * @throws IOException on an error
	 */
	public void createChannel(String topic, String channel) throws IOException {
		createTopic(topic);
		send("POST", "/channel/create?topic=" + encode(topic) + "&channel=" + encode(channel), null);
	}

	/**
	 * Delete a topic and its channels.
	 * @param topic the topic
	 * @throws IOException on an error
	 */
	public void deleteTopic(String topic) throws IOException {
		send("POST", "/topic/delete?topic=" + encode(topic), null);
	}

	/**
	 * Have nsqd collect its garbage and return its free memory to the OS
	 * ({@code POST /debug/freememory}, Go's {@code debug.FreeOSMemory}). nsqd 1.3.0 frees
	 * the memory and then answers 500 {@code INTERNAL_ERROR}: the handler returns no
	 * body, which its plain-text response writer cannot render. That answer counts as
	 * done.
	 * @throws IOException when nsqd cannot be reached or answers with another error (an
	 * nsqd without the endpoint answers 404)
	 */
	public void freeMemory() throws IOException {
		String path = "/debug/freememory";
		HttpResponse<String> response = exchange("POST", path, null);
		boolean freedThenFailedToAnswer = response.statusCode() == 500 && response.body().contains("INTERNAL_ERROR");
		if (response.statusCode() != 200 && !freedThenFailedToAnswer) {
			throw failure("POST", path, response);
		}
	}

	/**
	 * Publish several messages in one binary {@code /mpub}.
	 * @param topic the topic
	 * @param bodies the bodies
	 * @throws IOException on an error
	 */
	public void multiPublish(String topic, List<byte[]> bodies) throws IOException {
		int length = 4;
		for (byte[] body : bodies) {
			length += 4 + body.length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(length);
		buffer.putInt(bodies.size());
		for (byte[] body : bodies) {
			buffer.putInt(body.length).put(body);
		}
		send("POST", "/mpub?binary=true&topic=" + encode(topic), buffer.array());
	}

	private String send(String method, String path, byte[] body) throws IOException {
		HttpResponse<String> response = exchange(method, path, body);
		if (response.statusCode() != 200) {
			throw failure(method, path, response);
		}
		return response.body();
	}

	private IOException failure(String method, String path, HttpResponse<String> response) {
		return new IOException(method + " " + this.base + path + " answered " + response.statusCode() + ": "
				+ response.body().strip());
	}

	private HttpResponse<String> exchange(String method, String path, byte[] body) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30));
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted: " + method + " " + path, ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
