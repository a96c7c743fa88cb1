package io.github.nsqspring.test.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.nsqspring.test.support.Http;
import io.github.nsqspring.test.support.Threads;

/**
 * A tiny nsqd auth server ({@code --auth-http-address}) on loopback, answering
 * {@code GET /auth?remote_ip=..&tls=..&secret=..&common_name=..} (or the same as a POST
 * form) from an {@link NsqAuthorizer}, so real nsqd processes authenticate exactly like
 * the embedded nsqd. An authorizer that returns {@code null} or throws yields HTTP 500,
 * which nsqd reports to the client as {@code E_AUTH_FAILED}. For tests only; secrets are
 * never logged.
 */
public final class EmbeddedAuthServer implements AutoCloseable {

	private final NsqAuthorizer authorizer;

	private HttpServer server;

	private ExecutorService executor;

	/**
	 * Create a stopped server.
	 * @param authorizer answers the requests
	 */
	public EmbeddedAuthServer(NsqAuthorizer authorizer) {
		this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
	}

	/**
	 * Start on a random free loopback port.
	 * @return this server
	 * @throws UncheckedIOException when no port can be bound
	 */
	public synchronized EmbeddedAuthServer start() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.executor = Threads.httpPool("auth-" + this.server.getAddress().getPort(), 2);
		this.server.setExecutor(this.executor);
		this.server.createContext("/auth", this::handle);
		this.server.start();
		return this;
	}

	/**
	 * @return {@code 127.0.0.1:<port>}, the value for {@code nsqd --auth-http-address}
	 */
	public String address() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.executor.shutdownNow();
			try {
				this.executor.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.server = null;
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			Map<String, String> params = Http.query(exchange);
			if ("POST".equals(exchange.getRequestMethod())) {
				String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				for (String pair : form.split("&")) {
					int eq = pair.indexOf('=');
					if (eq > 0) {
						params.putIfAbsent(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
								java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
					}
				}
			}
			AuthResponse response;
			try {
				response = this.authorizer
					.authorize(new AuthRequest(params.getOrDefault("remote_ip", ""), "true".equals(params.get("tls")),
							params.getOrDefault("secret", ""), params.getOrDefault("common_name", "")));
			}
			catch (RuntimeException ex) {
				response = null;
			}
			if (response == null) {
				Http.error(exchange, 500, "INTERNAL_ERROR");
				return;
			}
			Http.json(exchange, toJson(response));
		}
		finally {
			exchange.close();
		}
	}

	static Map<String, Object> toJson(AuthResponse response) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ttl", response.ttlSeconds());
		body.put("identity", response.identity());
		body.put("identity_url", response.identityUrl());
		List<Object> authorizations = new ArrayList<>();
		for (AuthResponse.Authorization grant : response.authorizations()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("topic", grant.topic());
			entry.put("channels", grant.channels());
			entry.put("permissions", grant.permissions());
			authorizations.add(entry);
		}
		body.put("authorizations", authorizations);
		return body;
	}

}
