package io.github.nsqspring.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@link NsqdHttp#freeMemory()} against a stub answering as nsqd versions do.
 */
class NsqdHttpTests {

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private HttpServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void freeMemoryPostsToTheDebugEndpoint() throws IOException {
		NsqdHttp http = answering(200, "");
		http.freeMemory();
		assertThat(this.requests).containsExactly("POST /debug/freememory");
	}

	@Test
	void nsqd130sInternalErrorAfterFreeingCountsAsDone() throws IOException {
		// nsqd 1.3.0 frees, then cannot render its handler's empty answer
		NsqdHttp http = answering(500, "{\"message\":\"INTERNAL_ERROR\"}");
		http.freeMemory();
		assertThat(this.requests).containsExactly("POST /debug/freememory");
	}

	@Test
	void anNsqdWithoutTheEndpointFailsNamingTheAnswer() {
		NsqdHttp http = answering(404, "{\"message\":\"NOT_FOUND\"}");
		assertThatIOException().isThrownBy(http::freeMemory)
			.withMessageContaining("/debug/freememory answered 404: {\"message\":\"NOT_FOUND\"}");
	}

	@Test
	void anotherServerErrorFails() {
		NsqdHttp http = answering(500, "{\"message\":\"SOMETHING_ELSE\"}");
		assertThatIOException().isThrownBy(http::freeMemory).withMessageContaining("answered 500");
	}

	private NsqdHttp answering(int status, String body) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.createContext("/", (exchange) -> {
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		});
		this.server.start();
		return new NsqdHttp("127.0.0.1:" + this.server.getAddress().getPort());
	}

}
