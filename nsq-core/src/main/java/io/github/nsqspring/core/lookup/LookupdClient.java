package io.github.nsqspring.core.lookup;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqLookupdConfig;
import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.json.JsonParseException;

/**
 * Queries nsqlookupd over HTTP the way go-nsq does: one nsqlookupd per query, chosen
 * round robin, trying the next one on failure (3 attempts per query, cycling through the
 * nsqlookupd); header {@code Accept: application/vnd.nsq; version=1.0}; the auth secret
 * as a bearer token when configured ({@code skip_lookupd_authorization}); both the nsq
 * 1.0 answer format and the older {@code {"status_code","status_txt","data"}} wrapper.
 * Each request closes its HTTP connection, so no socket is left open between polls and no
 * keep-alive thread lingers.
 * <p>
 * Thread-safe. Addresses are {@code host:port} (meaning {@code http://host:port/lookup})
 * or URLs; a URL with a path other than {@code /} keeps it for lookups.
 */
public final class LookupdClient {

	private static final Logger logger = LoggerFactory.getLogger(LookupdClient.class);

	private static final int MAX_ATTEMPTS = 3;

	private final List<URI> baseUris;

	private final NsqLookupdConfig config;

	private final String authSecret;

	private final AtomicInteger next = new AtomicInteger();

	/**
	 * Create a client.
	 * @param addresses nsqlookupd HTTP addresses, at least one
	 * @param config its nsqlookupd section (timeout, whether to send the auth secret) and
	 * the auth secret of its connection section
	 * @throws NsqConfigException naming an address without a port or with a bad URL
	 */
	public LookupdClient(List<String> addresses, NsqConfig config) {
		Objects.requireNonNull(addresses, "addresses");
		if (addresses.isEmpty()) {
			throw new NsqConfigException("at least one nsqlookupd address is required");
		}
		this.baseUris = addresses.stream().map(LookupdClient::normalize).distinct().toList();
		Objects.requireNonNull(config, "config");
		this.config = config.lookupd();
		this.authSecret = config.connection().getAuthSecret();
	}

	/**
	 * The normalised base URIs, in query order.
	 * @return the URIs
	 */
	public List<URI> addresses() {
		return this.baseUris;
	}

	/**
	 * Ask for the nsqd that have a topic.
	 * @param topic the topic
	 * @return the answer; {@link LookupResult#TOPIC_NOT_FOUND} for a 404
	 * @throws NsqConnectionException when every attempt failed (the message names each
	 * failure)
	 */
	public LookupResult lookup(String topic) {
		String query = "topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
		Map<String, Object> data = query("/lookup", query, true);
		if (data == null) {
			return LookupResult.TOPIC_NOT_FOUND;
		}
		return new LookupResult(true, nodes(data.get("producers")), strings(data.get("channels")));
	}

	/**
	 * Ask for every nsqd registered with nsqlookupd ({@code /nodes}).
	 * @return the nodes
	 * @throws NsqConnectionException when every attempt failed
	 */
	public List<NsqdNode> nodes() {
		Map<String, Object> data = query("/nodes", null, false);
		return nodes((data != null) ? data.get("producers") : null);
	}

	private Map<String, Object> query(String defaultPath, String query, boolean notFoundIsEmpty) {
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < MAX_ATTEMPTS; i++) {
			URI base = this.baseUris.get(Math.floorMod(this.next.getAndIncrement(), this.baseUris.size()));
			URI uri = resolve(base, defaultPath, query);
			try {
				return get(uri, notFoundIsEmpty);
			}
			catch (NsqException ex) {
				logger.debug("nsqlookupd query {} failed: {}", uri, ex.getMessage());
				failures.add(ex.getMessage());
			}
		}
		throw new NsqConnectionException("nsqlookupd query failed: " + String.join("; ", failures));
	}

	private Map<String, Object> get(URI uri, boolean notFoundIsEmpty) {
		HttpURLConnection connection = null;
		try {
			URL url = uri.toURL();
			connection = (HttpURLConnection) url.openConnection();
			int timeout = (int) Math.min(Integer.MAX_VALUE, this.config.getPollTimeout().toMillis());
			connection.setConnectTimeout(timeout);
			connection.setReadTimeout(timeout);
			connection.setUseCaches(false);
			connection.setRequestProperty("Accept", "application/vnd.nsq; version=1.0");
			connection.setRequestProperty("Connection", "close");
			String secret = this.authSecret;
			if (secret != null && !secret.isEmpty() && this.config.isAuthorization()) {
				connection.setRequestProperty("Authorization", "Bearer " + secret);
			}
			int status = connection.getResponseCode();
			if (status == 404 && notFoundIsEmpty) {
				drain(connection.getErrorStream());
				return null;
			}
			if (status != 200) {
				String body = read(connection.getErrorStream());
				throw new NsqConnectionException(
						"nsqlookupd " + uri + " answered HTTP " + status + (body.isEmpty() ? "" : ": " + body));
			}
			String body = read(connection.getInputStream());
			return unwrap(uri, body, connection.getHeaderField("X-NSQ-Content-Type"));
		}
		catch (SocketTimeoutException ex) {
			throw new NsqTimeoutException("nsqlookupd " + uri + " did not answer within lookupd_poll_timeout ("
					+ this.config.getPollTimeout() + ")", ex);
		}
		catch (IOException ex) {
			throw new NsqConnectionException("cannot query nsqlookupd " + uri + ": " + ex, ex);
		}
		finally {
			if (connection != null) {
				connection.disconnect();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> unwrap(URI uri, String body, String contentType) {
		if (body.isBlank()) {
			return Map.of();
		}
		Map<String, Object> document;
		try {
			document = Json.parseObject(body);
		}
		catch (JsonParseException ex) {
			throw new NsqConnectionException("nsqlookupd " + uri + " answered invalid JSON: " + ex.getMessage(), ex);
		}
		boolean current = contentType != null && contentType.startsWith("nsq; version=1.0");
		if (!current && document.containsKey("status_code") && document.get("data") instanceof Map) {
			// nsqlookupd before 1.0 wrapped every answer
			return (Map<String, Object>) document.get("data");
		}
		return document;
	}

	@SuppressWarnings("unchecked")
	private static List<NsqdNode> nodes(Object value) {
		List<NsqdNode> nodes = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof Map<?, ?> map) {
					Map<String, Object> o = (Map<String, Object>) map;
					String broadcast = Json.getString(o, "broadcast_address", "");
					int tcpPort = (int) Json.getLong(o, "tcp_port", 0);
					if (broadcast.isEmpty() || tcpPort <= 0) {
						logger.warn("Ignoring nsqd without broadcast_address or tcp_port in nsqlookupd answer: {}", o);
						continue;
					}
					nodes.add(new NsqdNode(broadcast, Json.getString(o, "hostname", ""), tcpPort,
							(int) Json.getLong(o, "http_port", 0), Json.getString(o, "version", "")));
				}
			}
		}
		return nodes;
	}

	private static List<String> strings(Object value) {
		List<String> strings = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof String string) {
					strings.add(string);
				}
			}
		}
		return strings;
	}

	private static URI resolve(URI base, String defaultPath, String query) {
		String path = base.getPath();
		if (path == null || path.isEmpty() || path.equals("/") || !defaultPath.equals("/lookup")) {
			path = defaultPath;
		}
		String fullQuery = base.getQuery();
		if (query != null) {
			fullQuery = (fullQuery == null || fullQuery.isEmpty()) ? query : fullQuery + "&" + query;
		}
		try {
			return new URI(base.getScheme() + "://" + base.getRawAuthority() + path
					+ ((fullQuery != null) ? "?" + fullQuery : ""));
		}
		catch (URISyntaxException ex) {
			throw new NsqConfigException("invalid nsqlookupd address " + base + ": " + ex.getMessage());
		}
	}

	static URI normalize(String address) {
		Objects.requireNonNull(address, "address");
		String text = address.trim();
		if (!text.contains("://")) {
			text = "http://" + text;
		}
		URI uri;
		try {
			uri = new URI(text);
		}
		catch (URISyntaxException ex) {
			throw new NsqConfigException("invalid nsqlookupd address \"" + address + "\": " + ex.getMessage());
		}
		if (uri.getHost() == null || uri.getPort() < 0) {
			throw new NsqConfigException("invalid nsqlookupd address \"" + address + "\": missing host or port");
		}
		return uri;
	}

	private static String read(InputStream in) throws IOException {
		if (in == null) {
			return "";
		}
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static void drain(InputStream in) throws IOException {
		read(in);
	}

	@Override
	public String toString() {
		return "LookupdClient" + this.baseUris;
	}

}
