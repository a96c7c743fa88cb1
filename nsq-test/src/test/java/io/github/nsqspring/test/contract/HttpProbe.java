package io.github.nsqspring.test.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.nsqspring.core.json.Json;

/**
 * Minimal HTTP calls for contract tests (no client threads, exact status and headers).
 */
final class HttpProbe {

	private HttpProbe() {
	}

	static Response get(String address, String pathAndQuery) {
		return call("GET", address, pathAndQuery, null);
	}

	static Response post(String address, String pathAndQuery) {
		return call("POST", address, pathAndQuery, new byte[0]);
	}

	static Response post(String address, String pathAndQuery, byte[] body) {
		return call("POST", address, pathAndQuery, body);
	}

	static Response post(String address, String pathAndQuery, String body) {
		return call("POST", address, pathAndQuery, body.getBytes(StandardCharsets.UTF_8));
	}

	static Response call(String method, String address, String pathAndQuery, byte[] body) {
		return call(method, address, pathAndQuery, body, false);
	}

	/**
	 * A POST on a connection the client may keep for its next request.
	 */
	static Response postKeepingAlive(String address, String pathAndQuery, String body) {
		return call("POST", address, pathAndQuery, body.getBytes(StandardCharsets.UTF_8), true);
	}

	private static Response call(String method, String address, String pathAndQuery, byte[] body, boolean keepAlive) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + address + pathAndQuery)
				.toURL()
				.openConnection();
			connection.setRequestMethod(method);
			connection.setConnectTimeout(5000);
			connection.setReadTimeout(15000);
			if (!keepAlive) {
				// a connection per call, as the product's admin and lookupd clients ask
				connection.setRequestProperty("Connection", "close");
			}
			if (body != null) {
				connection.setDoOutput(true);
				connection.setFixedLengthStreamingMode(body.length);
				try (OutputStream out = connection.getOutputStream()) {
					out.write(body);
				}
			}
			int status = connection.getResponseCode();
			InputStream in = (status >= 400) ? connection.getErrorStream() : connection.getInputStream();
			byte[] bytes = (in != null) ? in.readAllBytes() : new byte[0];
			Response response = new Response(status, new String(bytes, StandardCharsets.UTF_8),
					connection.getHeaderField("X-NSQ-Content-Type"), connection.getHeaderField("Connection"));
			connection.disconnect();
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Response(int status, String body, String nsqContentType, String connection) {

		Map<String, Object> json() {
			return Json.parseObject(this.body);
		}

		String message() {
			return (String) json().get("message");
		}

	}

}
