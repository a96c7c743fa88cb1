package io.github.nsqspring.core.lookup;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.config.NsqConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LookupdClientTests {

	private static final String V1_LOOKUP = "{\"channels\":[\"c1\",\"c2\"],\"producers\":[{\"remote_address\":\"127.0.0.1:5000\","
			+ "\"hostname\":\"h1\",\"broadcast_address\":\"127.0.0.1\",\"tcp_port\":4150,\"http_port\":4151,"
			+ "\"version\":\"1.3.0\",\"topology_zone\":\"\",\"topology_region\":\"\"},{\"remote_address\":\"[::1]:5001\","
			+ "\"hostname\":\"h2\",\"broadcast_address\":\"::1\",\"tcp_port\":4250,\"http_port\":4251,\"version\":\"1.3.0\"}]}";

	private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

	private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

	@AfterEach
	void stopServers() {
		this.servers.forEach((server) -> server.stop(0));
	}

	@Test
	void lookupReadsVersionOneAnswerAndBracketsIpv6() {
		String address = serve(200, V1_LOOKUP, true);
		LookupResult result = new LookupdClient(List.of(address), NsqConfig.defaults()).lookup("t");
		assertThat(result.topicFound()).isTrue();
		assertThat(result.channels()).containsExactly("c1", "c2");
		assertThat(result.producers()).extracting(NsqdNode::tcpAddress).containsExactly("127.0.0.1:4150", "[::1]:4250");
		assertThat(this.lastHeaders.get("Accept")).isEqualTo("application/vnd.nsq; version=1.0");
		assertThat(this.lastHeaders.get("query")).isEqualTo("topic=t");
	}

	@Test
	void lookupReadsLegacyWrappedAnswer() {
		String address = serve(200, "{\"status_code\":200,\"status_txt\":\"OK\",\"data\":" + V1_LOOKUP + "}", false);
		LookupResult result = new LookupdClient(List.of(address), NsqConfig.defaults()).lookup("t");
		assertThat(result.producers()).hasSize(2);
	}

	@Test
	void unknownTopicIsEmptyNotAnError() {
		String address = serve(404, "{\"message\":\"TOPIC_NOT_FOUND\"}", true);
		LookupResult result = new LookupdClient(List.of(address), NsqConfig.defaults()).lookup("t");
		assertThat(result.topicFound()).isFalse();
		assertThat(result.producers()).isEmpty();
	}

	@Test
	void failingLookupdIsSkippedForTheNextOne() {
		String broken = serve(500, "{\"message\":\"INTERNAL_ERROR\"}", true);
		String good = serve(200, V1_LOOKUP, true);
		LookupdClient client = new LookupdClient(List.of(broken, good), NsqConfig.defaults());
		assertThat(client.lookup("t").producers()).hasSize(2);
		assertThat(client.lookup("t").producers()).hasSize(2);
	}

	@Test
	void everyAttemptFailingNamesTheFailures() {
		String broken = serve(500, "{\"message\":\"INTERNAL_ERROR\"}", true);
		LookupdClient client = new LookupdClient(List.of(broken), NsqConfig.defaults());
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> client.lookup("t"))
			.withMessageContaining("HTTP 500")
			.withMessageContaining("INTERNAL_ERROR");
	}

	@Test
	void nodesAreListed() {
		String address = serve(200, "{\"producers\":" + V1_LOOKUP.substring(V1_LOOKUP.indexOf('[', 20)), true);
		List<NsqdNode> nodes = new LookupdClient(List.of(address), NsqConfig.defaults()).nodes();
		assertThat(nodes).extracting(NsqdNode::hostname).containsExactly("h1", "h2");
		assertThat(this.lastHeaders.get("path")).isEqualTo("/nodes");
	}

	@Test
	void secretIsSentAsBearerToken() {
		String address = serve(200, V1_LOOKUP, true);
		new LookupdClient(List.of(address),
				NsqConfig.builder().connection((connection) -> connection.authSecret("s3cret")).build())
			.lookup("t");
		assertThat(this.lastHeaders.get("Authorization")).isEqualTo("Bearer s3cret");
	}

	@Test
	void addressWithoutPortIsRejected() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> new LookupdClient(List.of("lookupd.example"), NsqConfig.defaults()))
			.withMessageContaining("lookupd.example");
	}

	private String serve(int status, String body, boolean v1Header) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> respond(exchange, status, body, v1Header));
			server.start();
			this.servers.add(server);
			return "127.0.0.1:" + server.getAddress().getPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void respond(HttpExchange exchange, int status, String body, boolean v1Header) throws IOException {
		exchange.getRequestHeaders().forEach((name, values) -> this.lastHeaders.put(name, values.get(0)));
		this.lastHeaders.put("path", exchange.getRequestURI().getPath());
		String query = exchange.getRequestURI().getRawQuery();
		this.lastHeaders.put("query", (query != null) ? query : "");
		if (v1Header) {
			exchange.getResponseHeaders().add("X-NSQ-Content-Type", "nsq; version=1.0");
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
