package io.github.nsqspring.test.nsqd;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.github.nsqspring.core.protocol.NsqNames;
import io.github.nsqspring.test.support.Http;
import io.github.nsqspring.test.support.Http.HttpError;

/**
 * nsqd's HTTP API: the endpoints, parameters, status codes and error texts of nsqd 1.3.
 */
final class NsqdHttpApi implements HttpHandler {

	private static final Map<String, String> METHODS = Map.ofEntries(Map.entry("/ping", "GET"),
			Map.entry("/info", "GET"), Map.entry("/pub", "POST"), Map.entry("/mpub", "POST"),
			Map.entry("/stats", "GET"), Map.entry("/topic/create", "POST"), Map.entry("/topic/delete", "POST"),
			Map.entry("/topic/empty", "POST"), Map.entry("/topic/pause", "POST"), Map.entry("/topic/unpause", "POST"),
			Map.entry("/channel/create", "POST"), Map.entry("/channel/delete", "POST"),
			Map.entry("/channel/empty", "POST"), Map.entry("/channel/pause", "POST"),
			Map.entry("/channel/unpause", "POST"));

	private final EmbeddedNsqd nsqd;

	NsqdHttpApi(EmbeddedNsqd nsqd) {
		this.nsqd = nsqd;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		// a paused node hangs every request, as a stuck nsqd would
		this.nsqd.awaitNotFrozen();
		Http.dispatch(exchange, METHODS, (path, params) -> {
			if (this.nsqd.options().tlsRequired()) {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("message", "TLS_REQUIRED");
				body.put("https_port", 0);
				Http.error(exchange, 403, body);
				return;
			}
			route(path, exchange, params);
		});
	}

	private void route(String path, HttpExchange exchange, Map<String, String> params) throws IOException {
		switch (path) {
			case "/ping" -> Http.text(exchange, "OK", false);
			case "/info" -> Http.json(exchange, info());
			case "/pub" -> pub(exchange, params);
			case "/mpub" -> mpub(exchange, params);
			case "/stats" -> stats(exchange, params);
			case "/topic/create" -> {
				this.nsqd.getOrCreateTopic(topicToCreate(params));
				Http.empty(exchange);
			}
			case "/topic/delete" -> {
				Topic topic = existingTopic(required(params, "topic", "MISSING_ARG_TOPIC"));
				this.nsqd.deleteTopic(topic);
				Http.empty(exchange);
			}
			case "/topic/empty" -> {
				String name = required(params, "topic", "MISSING_ARG_TOPIC");
				if (!NsqNames.isValid(name)) {
					throw new HttpError(400, "INVALID_TOPIC");
				}
				existingTopic(name).empty();
				Http.empty(exchange);
			}
			case "/topic/pause", "/topic/unpause" -> {
				existingTopic(required(params, "topic", "MISSING_ARG_TOPIC")).setPaused(path.equals("/topic/pause"));
				Http.empty(exchange);
			}
			case "/channel/create" -> {
				String[] names = topicChannel(params);
				existingTopic(names[0]).getOrCreateChannel(names[1]);
				Http.empty(exchange);
			}
			case "/channel/delete" -> {
				String[] names = topicChannel(params);
				Topic topic = existingTopic(names[0]);
				topic.deleteChannel(existingChannel(topic, names[1]), true);
				Http.empty(exchange);
			}
			case "/channel/empty" -> {
				String[] names = topicChannel(params);
				existingChannel(existingTopic(names[0]), names[1]).empty();
				Http.empty(exchange);
			}
			default -> {
				String[] names = topicChannel(params);
				existingChannel(existingTopic(names[0]), names[1]).setPaused(path.equals("/channel/pause"));
				Http.empty(exchange);
			}
		}
	}

	private Map<String, Object> info() {
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("version", EmbeddedNsqd.VERSION);
		info.put("broadcast_address", "127.0.0.1");
		info.put("hostname", "localhost");
		info.put("http_port", this.nsqd.httpPort());
		info.put("tcp_port", this.nsqd.tcpPort());
		info.put("start_time", this.nsqd.startTime());
		info.put("max_heartbeat_interval", this.nsqd.options().maxHeartbeatInterval().toNanos());
		info.put("max_output_buffer_size", this.nsqd.options().maxOutputBufferSize());
		info.put("max_output_buffer_timeout", this.nsqd.options().maxOutputBufferTimeout().toNanos());
		info.put("max_deflate_level", this.nsqd.options().maxDeflateLevel());
		return info;
	}

	private void pub(HttpExchange exchange, Map<String, String> params) throws IOException {
		long max = this.nsqd.options().maxMsgSize();
		if (contentLength(exchange) > max) {
			throw new HttpError(413, "MSG_TOO_BIG");
		}
		byte[] body = Http.readBody(exchange, max);
		if (body.length > max) {
			throw new HttpError(413, "MSG_TOO_BIG");
		}
		if (body.length == 0) {
			throw new HttpError(400, "MSG_EMPTY");
		}
		String topic = topicToCreate(params);
		this.nsqd.getOrCreateTopic(topic);
		long deferMillis = 0;
		String defer = params.get("defer");
		if (defer != null) {
			try {
				deferMillis = Long.parseLong(defer);
			}
			catch (NumberFormatException ex) {
				throw new HttpError(400, "INVALID_DEFER");
			}
			if (deferMillis < 0 || deferMillis > this.nsqd.options().maxReqTimeout().toMillis()) {
				throw new HttpError(400, "INVALID_DEFER");
			}
		}
		if (!this.nsqd.publish(topic, List.of(body), deferMillis * 1_000_000L)) {
			throw new HttpError(503, "EXITING");
		}
		Http.text(exchange, "OK", true);
	}

	private void mpub(HttpExchange exchange, Map<String, String> params) throws IOException {
		long maxBody = this.nsqd.options().maxBodySize();
		long maxMsg = this.nsqd.options().maxMsgSize();
		if (contentLength(exchange) > maxBody) {
			throw new HttpError(413, "BODY_TOO_BIG");
		}
		String topic = topicToCreate(params);
		this.nsqd.getOrCreateTopic(topic);
		boolean binary = false;
		String mode = params.get("binary");
		if (mode != null) {
			binary = !(mode.equals("false") || mode.equals("0"));
		}
		List<byte[]> bodies = new ArrayList<>();
		if (binary) {
			byte[] raw = Http.readBody(exchange, maxBody);
			readBinaryMpub(new DataInputStream(new ByteArrayInputStream(raw)), bodies, maxMsg, maxBody);
		}
		else {
			byte[] raw = Http.readBody(exchange, maxBody);
			if (raw.length > maxBody) {
				throw new HttpError(413, "BODY_TOO_BIG");
			}
			int start = 0;
			for (int i = 0; i <= raw.length; i++) {
				if (i == raw.length || raw[i] == '\n') {
					int len = i - start;
					if (len > 0) {
						if (len > maxMsg) {
							throw new HttpError(413, "MSG_TOO_BIG");
						}
						bodies.add(java.util.Arrays.copyOfRange(raw, start, i));
					}
					start = i + 1;
				}
			}
		}
		if (!bodies.isEmpty() && !this.nsqd.publish(topic, bodies, 0)) {
			throw new HttpError(503, "EXITING");
		}
		Http.text(exchange, "OK", true);
	}

	/**
	 * Binary /mpub body: [int32 n]([int32 len][bytes]) × n; errors are the TCP codes
	 * minus "E_".
	 */
	private static void readBinaryMpub(DataInputStream in, List<byte[]> bodies, long maxMsg, long maxBody)
			throws IOException {
		int count;
		try {
			count = in.readInt();
		}
		catch (EOFException ex) {
			throw new HttpError(413, "BAD_BODY");
		}
		if (count <= 0 || count > (maxBody - 4) / 5) {
			throw new HttpError(413, "BAD_BODY");
		}
		for (int i = 0; i < count; i++) {
			int size;
			try {
				size = in.readInt();
			}
			catch (EOFException ex) {
				throw new HttpError(413, "BAD_MESSAGE");
			}
			if (size <= 0 || size > maxMsg) {
				throw new HttpError(413, "BAD_MESSAGE");
			}
			byte[] body = new byte[size];
			try {
				in.readFully(body);
			}
			catch (EOFException ex) {
				throw new HttpError(413, "BAD_MESSAGE");
			}
			bodies.add(body);
		}
	}

	private void stats(HttpExchange exchange, Map<String, String> params) throws IOException {
		boolean includeClients = bool(params.get("include_clients"));
		boolean includeMem = bool(params.get("include_mem"));
		Map<String, Object> stats = this.nsqd.stats(params.get("topic"), params.get("channel"), includeClients,
				includeMem);
		if ("json".equals(params.get("format"))) {
			Http.json(exchange, stats);
			return;
		}
		StringBuilder text = new StringBuilder();
		text.append("nsqd v").append(EmbeddedNsqd.VERSION).append(" (embedded)\n\nHealth: OK\n");
		Object topics = stats.get("topics");
		if (!(topics instanceof List<?> list) || list.isEmpty()) {
			text.append("\nTopics: None\n");
		}
		else {
			text.append("\nTopics:");
			for (Object t : list) {
				Map<?, ?> topic = (Map<?, ?>) t;
				text.append("\n   [")
					.append(topic.get("topic_name"))
					.append("] depth: ")
					.append(topic.get("depth"))
					.append(" msgs: ")
					.append(topic.get("message_count"))
					.append('\n');
				for (Object c : (List<?>) topic.get("channels")) {
					Map<?, ?> channel = (Map<?, ?>) c;
					text.append("      [")
						.append(channel.get("channel_name"))
						.append("] depth: ")
						.append(channel.get("depth"))
						.append(" inflt: ")
						.append(channel.get("in_flight_count"))
						.append(" def: ")
						.append(channel.get("deferred_count"))
						.append(" msgs: ")
						.append(channel.get("message_count"))
						.append('\n');
				}
			}
		}
		Http.text(exchange, text.toString(), true);
	}

	private static boolean bool(String value) {
		return !("false".equals(value) || "0".equals(value));
	}

	private static long contentLength(HttpExchange exchange) {
		String header = exchange.getRequestHeaders().getFirst("Content-Length");
		if (header == null) {
			return -1;
		}
		try {
			return Long.parseLong(header.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String required(Map<String, String> params, String key, String missing) {
		String value = params.get(key);
		if (value == null) {
			throw new HttpError(400, missing);
		}
		return value;
	}

	private static String topicToCreate(Map<String, String> params) {
		String topic = required(params, "topic", "MISSING_ARG_TOPIC");
		if (!NsqNames.isValid(topic)) {
			throw new HttpError(400, "INVALID_TOPIC");
		}
		return topic;
	}

	private static String[] topicChannel(Map<String, String> params) {
		String topic = required(params, "topic", "MISSING_ARG_TOPIC");
		if (!NsqNames.isValid(topic)) {
			throw new HttpError(400, "INVALID_ARG_TOPIC");
		}
		String channel = required(params, "channel", "MISSING_ARG_CHANNEL");
		if (!NsqNames.isValid(channel)) {
			throw new HttpError(400, "INVALID_ARG_CHANNEL");
		}
		return new String[] { topic, channel };
	}

	private Topic existingTopic(String name) {
		Topic topic = this.nsqd.getTopic(name);
		if (topic == null || topic.isDeleted()) {
			throw new HttpError(404, "TOPIC_NOT_FOUND");
		}
		return topic;
	}

	private static Channel existingChannel(Topic topic, String name) {
		Channel channel = topic.getChannel(name);
		if (channel == null) {
			throw new HttpError(404, "CHANNEL_NOT_FOUND");
		}
		return channel;
	}

}
