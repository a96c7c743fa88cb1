package io.github.nsqspring.boot.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.json.JsonParseException;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.lookup.NsqdNode;
import io.github.nsqspring.core.protocol.NsqNames;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Administers topics and channels over nsqd's HTTP API, on every nsqd the application
 * knows: the configured nsqd HTTP addresses ({@code nsq.nsqd.http-addresses}) plus every
 * nsqd that nsqlookupd lists ({@code /nodes}, at {@code broadcast_address:http_port}).
 * Thread-safe; it holds no connection and no thread: each request opens and closes its
 * own HTTP connection, bounded by the timeout (5 seconds by default) for connecting and
 * for the answer.
 * <p>
 * Every operation runs on every node, even after one failed, then throws one
 * {@link NsqAdminException} naming each failed node and why (unreachable, timed out, or
 * nsqd's answer). Names are checked first: an invalid one throws
 * {@link io.github.nsqspring.core.NsqInvalidNameException} before anything is sent.
 * <ul>
 * <li>Creating is idempotent: creating a topic or channel that exists changes
 * nothing.</li>
 * <li>Deleting, emptying, pausing and unpausing skip the nodes that do not have the topic
 * or channel; emptying, pausing and unpausing fail when no node has it.</li>
 * </ul>
 *
 * <pre class="code">
 * admin.createChannel("orders", "billing");
 * admin.pauseChannel("orders", "billing");
 * long depth = admin.stats().stream()
 *     .flatMap((node) -&gt; node.topic("orders").stream())
 *     .flatMap((topic) -&gt; topic.channel("billing").stream())
 *     .mapToLong(NsqdStats.ChannelStats::depth).sum();
 * </pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see NsqDeclarer
 */
public class NsqAdmin {

	/** Default timeout of one HTTP request: 5 seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final LogAccessor logger = new LogAccessor(NsqAdmin.class);

	private final List<String> nsqdHttpAddresses;

	private final List<String> lookupdAddresses;

	private final Duration timeout;

	private final @Nullable LookupdClient lookupdClient;

	/**
	 * An admin with the default timeout and client settings.
	 * @param nsqdHttpAddresses nsqd HTTP addresses ({@code host:port} or URLs), possibly
	 * empty
	 * @param lookupdAddresses nsqlookupd HTTP addresses ({@code host:port} or URLs),
	 * possibly empty
	 */
	public NsqAdmin(List<String> nsqdHttpAddresses, List<String> lookupdAddresses) {
		this(nsqdHttpAddresses, lookupdAddresses, DEFAULT_TIMEOUT, NsqConfig.defaults());
	}

	/**
	 * An admin.
	 * @param nsqdHttpAddresses nsqd HTTP addresses ({@code host:port} or URLs), possibly
	 * empty
	 * @param lookupdAddresses nsqlookupd HTTP addresses ({@code host:port} or URLs),
	 * possibly empty
	 * @param timeout longest wait to connect, and then for an answer, per request
	 * @param config the client settings nsqlookupd is asked with (its auth secret)
	 * @throws NsqConfigException naming an nsqd or nsqlookupd address without a host or
	 * port
	 */
	public NsqAdmin(List<String> nsqdHttpAddresses, List<String> lookupdAddresses, Duration timeout, NsqConfig config) {
		Assert.notNull(nsqdHttpAddresses, "'nsqdHttpAddresses' must not be null");
		Assert.notNull(lookupdAddresses, "'lookupdAddresses' must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
				() -> "'timeout' must be positive, was " + timeout);
		Assert.notNull(config, "'config' must not be null");
		this.nsqdHttpAddresses = nsqdHttpAddresses.stream().map(NsqAdmin::checkAddress).distinct().toList();
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
		this.timeout = timeout;
		this.lookupdClient = lookupdAddresses.isEmpty() ? null : new LookupdClient(this.lookupdAddresses,
				config.toBuilder().lookupd((lookupd) -> lookupd.pollTimeout(timeout)).build());
	}

	/**
	 * The configured nsqd HTTP addresses.
	 * @return the addresses, possibly empty
	 */
	public List<String> getNsqdHttpAddresses() {
		return this.nsqdHttpAddresses;
	}

	/**
	 * The configured nsqlookupd addresses.
	 * @return the addresses, possibly empty
	 */
	public List<String> getLookupdAddresses() {
		return this.lookupdAddresses;
	}

	/**
	 * Whether any nsqd can be found: an nsqd HTTP address or an nsqlookupd address is
	 * configured.
	 * @return {@code true} when operations have somewhere to go
	 */
	public boolean hasNodeSources() {
		return !this.nsqdHttpAddresses.isEmpty() || this.lookupdClient != null;
	}

	/**
	 * The HTTP addresses of every nsqd known now: the configured ones, then those
	 * nsqlookupd lists.
	 * @return the addresses, without duplicates
	 * @throws NsqAdminException when nsqlookupd cannot be asked
	 */
	public List<String> nodes() {
		Nodes nodes = resolveNodes();
		if (!nodes.failures.isEmpty()) {
			throw new NsqAdminException("Cannot list the nsqd", nodes.failures, nodes.cause);
		}
		return nodes.addresses;
	}

	/**
	 * Create a topic on every nsqd. Idempotent.
	 * @param topic a valid topic name
	 * @throws NsqAdminException when it failed on a node
	 */
	public void createTopic(String topic) {
		NsqNames.requireValidTopic(topic);
		onEveryNode("create topic " + topic, "/topic/create", query(topic, null), false);
	}

	/**
	 * Create a channel, and its topic, on every nsqd. Idempotent.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @throws NsqAdminException when it failed on a node
	 */
	public void createChannel(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		String action = "create channel " + topic + "/" + channel;
		Nodes nodes = requireNodes(action);
		for (String node : nodes.addresses) {
			try {
				post(node, "/topic/create", query(topic, null));
				post(node, "/channel/create", query(topic, channel));
			}
			catch (RequestFailure ex) {
				nodes.fail(node, action, ex);
			}
		}
		nodes.throwIfFailed(action);
	}

	/**
	 * Delete a topic, its channels and their messages on every nsqd that has it.
	 * @param topic a valid topic name
	 * @return whether a node had it
	 * @throws NsqAdminException when it failed on a node
	 */
	public boolean deleteTopic(String topic) {
		NsqNames.requireValidTopic(topic);
		return onEveryNode("delete topic " + topic, "/topic/delete", query(topic, null), true) > 0;
	}

	/**
	 * Delete a channel and its messages on every nsqd that has it.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @return whether a node had it
	 * @throws NsqAdminException when it failed on a node
	 */
	public boolean deleteChannel(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		return onEveryNode("delete channel " + topic + "/" + channel, "/channel/delete", query(topic, channel),
				true) > 0;
	}

	/**
	 * Drop the messages waiting in a topic (not those already in its channels) on every
	 * nsqd that has it.
	 * @param topic a valid topic name
	 * @throws NsqAdminException when it failed on a node or no node has the topic
	 */
	public void emptyTopic(String topic) {
		NsqNames.requireValidTopic(topic);
		onExistingNodes("empty topic " + topic, "/topic/empty", query(topic, null));
	}

	/**
	 * Drop every message of a channel (waiting, in flight and deferred) on every nsqd
	 * that has it.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @throws NsqAdminException when it failed on a node or no node has the channel
	 */
	public void emptyChannel(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		onExistingNodes("empty channel " + topic + "/" + channel, "/channel/empty", query(topic, channel));
	}

	/**
	 * Pause a topic on every nsqd that has it: messages published stay in the topic and
	 * no channel receives them until it is unpaused. nsqd persists the state.
	 * @param topic a valid topic name
	 * @throws NsqAdminException when it failed on a node or no node has the topic
	 */
	public void pauseTopic(String topic) {
		NsqNames.requireValidTopic(topic);
		onExistingNodes("pause topic " + topic, "/topic/pause", query(topic, null));
	}

	/**
	 * Unpause a topic on every nsqd that has it.
	 * @param topic a valid topic name
	 * @throws NsqAdminException when it failed on a node or no node has the topic
	 */
	public void unpauseTopic(String topic) {
		NsqNames.requireValidTopic(topic);
		onExistingNodes("unpause topic " + topic, "/topic/unpause", query(topic, null));
	}

	/**
	 * Pause a channel on every nsqd that has it: it keeps receiving messages but delivers
	 * none to its consumers until it is unpaused. nsqd persists the state.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @throws NsqAdminException when it failed on a node or no node has the channel
	 */
	public void pauseChannel(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		onExistingNodes("pause channel " + topic + "/" + channel, "/channel/pause", query(topic, channel));
	}

	/**
	 * Unpause a channel on every nsqd that has it.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @throws NsqAdminException when it failed on a node or no node has the channel
	 */
	public void unpauseChannel(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		onExistingNodes("unpause channel " + topic + "/" + channel, "/channel/unpause", query(topic, channel));
	}

	/**
	 * The statistics of every nsqd ({@code /stats?format=json}, without clients and
	 * memory).
	 * @return one entry per node, in node order
	 * @throws NsqAdminException when a node could not be asked
	 */
	public List<NsqdStats> stats() {
		String action = "read stats";
		Nodes nodes = requireNodes(action);
		List<NsqdStats> stats = new ArrayList<>();
		for (String node : nodes.addresses) {
			try {
				stats.add(parseStats(node,
						request(node, "GET", "/stats", "format=json&include_clients=false&include_mem=false")));
			}
			catch (RequestFailure ex) {
				nodes.fail(node, action, ex);
			}
		}
		nodes.throwIfFailed(action);
		return stats;
	}

	/**
	 * Create topics and channels on every nsqd: each topic first, then each channel
	 * (after its topic). Idempotent.
	 * @param declarables what to create
	 * @return the nodes they were created on; empty when no nsqd is known or nothing is
	 * declared
	 * @throws NsqAdminException when a declaration failed on a node, or nsqlookupd could
	 * not be asked (the known nodes are declared on first)
	 */
	public List<String> declare(Collection<? extends NsqDeclarable> declarables) {
		Assert.notNull(declarables, "'declarables' must not be null");
		if (declarables.isEmpty()) {
			return List.of();
		}
		Set<String> topics = new LinkedHashSet<>();
		List<NsqChannel> channels = new ArrayList<>();
		for (NsqDeclarable declarable : declarables) {
			topics.add(declarable.topic());
			if (declarable instanceof NsqChannel channel && !channels.contains(channel)) {
				channels.add(channel);
			}
		}
		Nodes nodes = resolveNodes();
		for (String node : nodes.addresses) {
			Set<String> created = new LinkedHashSet<>();
			for (String topic : topics) {
				try {
					post(node, "/topic/create", query(topic, null));
					created.add(topic);
				}
				catch (RequestFailure ex) {
					nodes.fail(node, "create topic " + topic, ex);
				}
			}
			for (NsqChannel channel : channels) {
				if (!created.contains(channel.topic())) {
					continue;
				}
				try {
					post(node, "/channel/create", query(channel.topic(), channel.name()));
				}
				catch (RequestFailure ex) {
					nodes.fail(node, "create channel " + channel.topic() + "/" + channel.name(), ex);
				}
			}
		}
		nodes.throwIfFailed("Cannot declare " + declarables);
		return nodes.addresses;
	}

	/**
	 * Create topics and channels on every nsqd.
	 * @param declarables what to create
	 * @return the nodes they were created on; empty when no nsqd is known
	 * @throws NsqAdminException when a declaration failed on a node
	 * @see #declare(Collection)
	 */
	public List<String> declare(NsqDeclarable... declarables) {
		return declare(Arrays.asList(declarables));
	}

	/**
	 * Run a request on every node.
	 * @return how many nodes answered OK
	 */
	private int onEveryNode(String action, String path, String query, boolean missingIsSkipped) {
		Nodes nodes = requireNodes(action);
		int done = 0;
		for (String node : nodes.addresses) {
			try {
				post(node, path, query);
				done++;
			}
			catch (RequestFailure ex) {
				if (!(missingIsSkipped && ex.isNotFound())) {
					nodes.fail(node, action, ex);
				}
			}
		}
		nodes.throwIfFailed(action);
		return done;
	}

	private void onExistingNodes(String action, String path, String query) {
		if (onEveryNode(action, path, query, true) == 0) {
			throw new NsqAdminException("Cannot " + action, List.of("no nsqd has it"));
		}
	}

	private Nodes requireNodes(String action) {
		Nodes nodes = resolveNodes();
		if (nodes.addresses.isEmpty()) {
			if (nodes.failures.isEmpty()) {
				nodes.failures.add(hasNodeSources() ? "nsqlookupd lists no nsqd"
						: "no nsqd known: set nsq.nsqd.http-addresses or nsq.lookupd.addresses");
			}
			nodes.throwIfFailed("Cannot " + action);
		}
		return nodes;
	}

	private Nodes resolveNodes() {
		Set<String> addresses = new LinkedHashSet<>(this.nsqdHttpAddresses);
		Nodes nodes = new Nodes();
		if (this.lookupdClient != null) {
			try {
				for (NsqdNode node : this.lookupdClient.nodes()) {
					if (node.httpPort() > 0) {
						addresses.add(node.httpAddress());
					}
				}
			}
			catch (RuntimeException ex) {
				nodes.failures.add("nsqlookupd " + this.lookupdAddresses + ": list nsqd: " + ex.getMessage());
				nodes.cause = ex;
			}
		}
		nodes.addresses = List.copyOf(addresses);
		return nodes;
	}

	private static String query(String topic, @Nullable String channel) {
		String query = "topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
		return (channel != null) ? query + "&channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8) : query;
	}

	private void post(String node, String path, String query) {
		request(node, "POST", path, query);
	}

	private static String checkAddress(String address) {
		Assert.notNull(address, "nsqd HTTP addresses must not be null");
		String trimmed = address.trim();
		URI base;
		try {
			base = URI.create(baseUrl(trimmed));
		}
		catch (IllegalArgumentException ex) {
			throw new NsqConfigException("invalid nsqd HTTP address \"" + address + "\": " + ex.getMessage());
		}
		if (base.getHost() == null || base.getPort() < 0) {
			throw new NsqConfigException("invalid nsqd HTTP address \"" + address + "\": expected host:port");
		}
		return trimmed;
	}

	private static String baseUrl(String node) {
		String base = node.contains("://") ? node : "http://" + node;
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	private String request(String node, String method, String path, String query) {
		URI uri = URI.create(baseUrl(node) + path + "?" + query);
		HttpURLConnection connection = null;
		try {
			connection = (HttpURLConnection) uri.toURL().openConnection();
			int millis = (int) Math.min(Integer.MAX_VALUE, this.timeout.toMillis());
			connection.setConnectTimeout(millis);
			connection.setReadTimeout(millis);
			connection.setUseCaches(false);
			connection.setRequestMethod(method);
			// no keep-alive: no socket, and no JDK keep-alive thread, outlives a request
			connection.setRequestProperty("Connection", "close");
			connection.setRequestProperty("Accept", "application/vnd.nsq; version=1.0");
			// nsqd's admin POSTs take their arguments in the query and have no body
			int status = connection.getResponseCode();
			if (status == 200) {
				return read(connection.getInputStream());
			}
			throw new RequestFailure(status, errorMessage(read(connection.getErrorStream())), null);
		}
		catch (SocketTimeoutException ex) {
			throw new RequestFailure(0, "no answer within " + this.timeout, ex);
		}
		catch (IOException ex) {
			throw new RequestFailure(0, "unreachable (" + ex + ")", ex);
		}
		finally {
			if (connection != null) {
				connection.disconnect();
			}
		}
	}

	private static String errorMessage(String body) {
		try {
			Map<String, Object> json = Json.parseObject(body);
			return Json.getString(json, "message", body);
		}
		catch (JsonParseException ex) {
			return body.trim();
		}
	}

	private static String read(@Nullable InputStream in) throws IOException {
		if (in == null) {
			return "";
		}
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@SuppressWarnings("unchecked")
	private static NsqdStats parseStats(String node, String body) {
		Map<String, Object> json;
		try {
			json = Json.parseObject(body);
		}
		catch (JsonParseException ex) {
			throw new RequestFailure(200, "invalid stats JSON: " + ex.getMessage(), ex);
		}
		List<NsqdStats.TopicStats> topics = new ArrayList<>();
		for (Object item : list(json.get("topics"))) {
			Map<String, Object> topic = (Map<String, Object>) item;
			List<NsqdStats.ChannelStats> channels = new ArrayList<>();
			for (Object channelItem : list(topic.get("channels"))) {
				Map<String, Object> channel = (Map<String, Object>) channelItem;
				channels.add(new NsqdStats.ChannelStats(Json.getString(channel, "channel_name", ""),
						Json.getLong(channel, "depth", 0), Json.getLong(channel, "in_flight_count", 0),
						Json.getLong(channel, "deferred_count", 0), Json.getLong(channel, "message_count", 0),
						Json.getLong(channel, "requeue_count", 0), Json.getLong(channel, "timeout_count", 0),
						Json.getLong(channel, "client_count", 0), Json.getBoolean(channel, "paused", false)));
			}
			topics.add(new NsqdStats.TopicStats(Json.getString(topic, "topic_name", ""),
					Json.getLong(topic, "depth", 0), Json.getLong(topic, "message_count", 0),
					Json.getBoolean(topic, "paused", false), List.copyOf(channels)));
		}
		return new NsqdStats(node, Json.getString(json, "version", ""), List.copyOf(topics));
	}

	private static List<?> list(@Nullable Object value) {
		if (value instanceof List<?> list) {
			return list.stream().filter(Map.class::isInstance).toList();
		}
		return Collections.emptyList();
	}

	@Override
	public String toString() {
		return "NsqAdmin[nsqd=" + this.nsqdHttpAddresses + ", lookupd=" + this.lookupdAddresses + "]";
	}

	/**
	 * The nodes of one operation and what failed on them.
	 */
	private static final class Nodes {

		private List<String> addresses = List.of();

		private final List<String> failures = new ArrayList<>();

		private @Nullable Throwable cause;

		void fail(String node, String action, RequestFailure failure) {
			String line = node + ": " + action + ": " + failure.describe();
			logger.debug(failure, () -> "nsqd " + line);
			this.failures.add(line);
			if (this.cause == null) {
				this.cause = failure;
			}
		}

		void throwIfFailed(String action) {
			if (this.failures.isEmpty()) {
				return;
			}
			Throwable first = this.cause;
			throw (first != null) ? new NsqAdminException(action, this.failures, first)
					: new NsqAdminException(action, this.failures);
		}

	}

	/**
	 * One HTTP request that failed: no answer (status 0) or an error answer.
	 */
	private static final class RequestFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final int status;

		RequestFailure(int status, String message, @Nullable Throwable cause) {
			super(message, cause);
			this.status = status;
		}

		boolean isNotFound() {
			return this.status == 404;
		}

		String describe() {
			return (this.status > 0) ? "HTTP " + this.status + " " + getMessage() : getMessage();
		}

	}

}
