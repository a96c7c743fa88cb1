package io.github.nsqspring.test.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import io.github.nsqspring.core.json.Json;

/**
 * Helpers that answer HTTP requests the way nsqd's and nsqlookupd's "V1" API does: the
 * {@code X-NSQ-Content-Type: nsq; version=1.0} header, JSON bodies, empty 200 bodies and
 * {@code {"message":"..."}} errors.
 */
public final class Http {

	/** Header every V1 endpoint sets. */
	public static final String NSQ_CONTENT_TYPE = "X-NSQ-Content-Type";

	/** Value of {@link #NSQ_CONTENT_TYPE}. */
	public static final String NSQ_V1 = "nsq; version=1.0";

	private static final String JSON_TYPE = "application/json; charset=utf-8";

	/**
	 * What Go's server reads of a body its handler left unread (maxPostHandlerReadBytes).
	 */
	private static final int DRAINED_BODY_BYTES = 256 * 1024;

	private Http() {
	}

	/**
	 * A route of an HTTP API, called once the path and method are known to be valid.
	 */
	@FunctionalInterface
	public interface Route {

		/**
		 * Answer a request.
		 * @param path the request path
		 * @param params its query parameters
		 * @throws IOException when writing the answer fails
		 */
		void handle(String path, Map<String, String> params) throws IOException;

	}

	/**
	 * Serve one request the way nsqd and nsqlookupd do: 404 {@code NOT_FOUND} for a path
	 * not in {@code methods}, 405 {@code METHOD_NOT_ALLOWED} for another method (HEAD is
	 * accepted for GET), an {@link HttpError} answered with its status and any other
	 * failure with 500 {@code INTERNAL_ERROR}; the exchange is closed in every case.
	 * @param exchange the request
	 * @param methods the method of each path
	 * @param route answers a valid request
	 * @throws IOException when writing the answer fails
	 */
	public static void dispatch(HttpExchange exchange, Map<String, String> methods, Route route) throws IOException {
		try {
			String path = exchange.getRequestURI().getPath();
			String method = methods.get(path);
			if (method == null) {
				error(exchange, 404, "NOT_FOUND");
				return;
			}
			String actual = exchange.getRequestMethod();
			if (!method.equals(actual) && !(method.equals("GET") && actual.equals("HEAD"))) {
				error(exchange, 405, "METHOD_NOT_ALLOWED");
				return;
			}
			route.handle(path, query(exchange));
		}
		catch (HttpError error) {
			error(exchange, error.status(), error.getMessage());
		}
		catch (RuntimeException ex) {
			error(exchange, 500, "INTERNAL_ERROR");
		}
		finally {
			exchange.close();
		}
	}

	/**
	 * Decode the query string; a repeated key keeps its first value, like Go's
	 * {@code Query().Get}.
	 * @param exchange the request
	 * @return the parameters
	 */
	public static Map<String, String> query(HttpExchange exchange) {
		Map<String, String> params = new LinkedHashMap<>();
		String raw = exchange.getRequestURI().getRawQuery();
		if (raw == null || raw.isEmpty()) {
			return params;
		}
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String key = decode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : decode(pair.substring(eq + 1));
			params.putIfAbsent(key, value);
		}
		return params;
	}

	private static String decode(String s) {
		try {
			return URLDecoder.decode(s, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return s;
		}
	}

	/**
	 * Read at most {@code limit + 1} bytes of the request body so that callers can tell
	 * an over-long body from one of exactly {@code limit} bytes.
	 * @param exchange the request
	 * @param limit the largest acceptable body
	 * @return the bytes read
	 * @throws IOException on read failure
	 */
	public static byte[] readBody(HttpExchange exchange, long limit) throws IOException {
		InputStream in = exchange.getRequestBody();
		return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
	}

	/**
	 * Answer 200 with a JSON document.
	 * @param exchange the request
	 * @param value the document
	 * @throws IOException on write failure
	 */
	public static void json(HttpExchange exchange, Object value) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
		send(exchange, 200, Json.write(value).getBytes(StandardCharsets.UTF_8), true);
	}

	/**
	 * Answer 200 with an empty body.
	 * @param exchange the request
	 * @throws IOException on write failure
	 */
	public static void empty(HttpExchange exchange) throws IOException {
		send(exchange, 200, new byte[0], true);
	}

	/**
	 * Answer 200 with plain text, as nsqd does for {@code /pub}.
	 * @param exchange the request
	 * @param text the body
	 * @param nsqHeader whether to send the X-NSQ header ({@code /ping} does not)
	 * @throws IOException on write failure
	 */
	public static void text(HttpExchange exchange, String text, boolean nsqHeader) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		send(exchange, 200, text.getBytes(StandardCharsets.UTF_8), nsqHeader);
	}

	/**
	 * Answer an error with body {@code {"message":"<text>"}}.
	 * @param exchange the request
	 * @param status the status code
	 * @param message the message
	 * @throws IOException on write failure
	 */
	public static void error(HttpExchange exchange, int status, String message) throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("message", message);
		error(exchange, status, body);
	}

	/**
	 * Answer an error with a JSON body.
	 * @param exchange the request
	 * @param status the status code
	 * @param body the body
	 * @throws IOException on write failure
	 */
	public static void error(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
		send(exchange, status, Json.write(body).getBytes(StandardCharsets.UTF_8), true);
	}

	/**
	 * Whether the connection ends with this answer. The JDK's server then closes it
	 * without saying so, and a client that keeps the connection for its next request
	 * (HttpURLConnection does, even after asking for {@code Connection: close}) fails
	 * that request if it goes out before the close arrives. Go's server, which nsqd and
	 * nsqlookupd use, answers {@code Connection: close} in both cases, so clients open a
	 * new connection: when the request asked for it, and when the handler left more of
	 * the body unread than Go drains for it.
	 */
	private static boolean closesAfterAnswer(HttpExchange exchange) throws IOException {
		for (String value : exchange.getRequestHeaders().getOrDefault("Connection", List.of())) {
			for (String token : value.split(",")) {
				if (token.trim().equalsIgnoreCase("close")) {
					return true;
				}
			}
		}
		return !drained(exchange.getRequestBody());
	}

	/**
	 * Read and drop what the handler left of the body, as Go's server does, up to
	 * {@value #DRAINED_BODY_BYTES} bytes.
	 * @return whether the body ended within that
	 */
	private static boolean drained(InputStream body) throws IOException {
		byte[] buffer = new byte[8192];
		long left = DRAINED_BODY_BYTES + 1;
		while (left > 0) {
			int read = body.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (read < 0) {
				return true;
			}
			left -= read;
		}
		return false;
	}

	private static void send(HttpExchange exchange, int status, byte[] body, boolean nsqHeader) throws IOException {
		if (nsqHeader) {
			exchange.getResponseHeaders().set(NSQ_CONTENT_TYPE, NSQ_V1);
		}
		if (closesAfterAnswer(exchange)) {
			exchange.getResponseHeaders().set("Connection", "close");
		}
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		exchange.close();
	}

	/** An HTTP error to be sent as {@code {"message":...}}. */
	public static final class HttpError extends RuntimeException {

		/** The HTTP status code sent with the error. */
		private final int status;

		/**
		 * Create an error.
		 * @param status the status code
		 * @param message the message text
		 */
		public HttpError(int status, String message) {
			super(message, null, false, false);
			this.status = status;
		}

		/**
		 * @return the status code
		 */
		public int status() {
			return this.status;
		}

	}

}
