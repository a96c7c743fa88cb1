package io.github.nsqspring.test.lookupd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.protocol.NsqNames;
import io.github.nsqspring.test.lookupd.RegistrationDb.Key;
import io.github.nsqspring.test.lookupd.RegistrationDb.Peer;
import io.github.nsqspring.test.lookupd.RegistrationDb.Producer;
import io.github.nsqspring.test.support.Http;
import io.github.nsqspring.test.support.Http.HttpError;
import io.github.nsqspring.test.support.Threads;

/**
 * An nsqlookupd that runs inside the JVM, on loopback, for tests and local development
 * (<strong>not for production</strong>). nsqd nodes register with it over nsqlookupd's
 * TCP protocol ({@code "  V1"}, IDENTIFY, REGISTER, UNREGISTER, PING), so the embedded
 * nsqd and a real nsqd both can; clients query its HTTP API ({@code /lookup},
 * {@code /topics}, {@code /channels}, {@code /nodes}, {@code /ping}, {@code /info}, topic
 * and channel create/delete, {@code /topic/tombstone}) with nsqlookupd 1.3's JSON shapes,
 * status codes and 404 rules. A node whose TCP connection closes disappears from every
 * producer list, while the topic and channel keys it registered stay.
 * <p>
 * Threads are daemons named {@code nsq-test-lookupd-<tcpPort>-…}; all are gone when
 * {@link #stop()} returns (except the JDK HTTP server's own dispatcher thread).
 */
public final class EmbeddedNsqlookupd implements AutoCloseable {

	/** The nsqlookupd version this server reports. */
	public static final String VERSION = "1.3.0";

	private static final Map<String, String> METHODS = Map.ofEntries(Map.entry("/ping", "GET"),
			Map.entry("/info", "GET"), Map.entry("/lookup", "GET"), Map.entry("/topics", "GET"),
			Map.entry("/channels", "GET"), Map.entry("/nodes", "GET"), Map.entry("/debug", "GET"),
			Map.entry("/topic/create", "POST"), Map.entry("/topic/delete", "POST"),
			Map.entry("/channel/create", "POST"), Map.entry("/channel/delete", "POST"),
			Map.entry("/topic/tombstone", "POST"));

	private final RegistrationDb db = new RegistrationDb();

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final Set<Thread> connectionThreads = ConcurrentHashMap.newKeySet();

	private final Duration inactiveProducerTimeout;

	private final Duration tombstoneLifetime;

	private volatile boolean running;

	private volatile int tcpPort;

	private volatile int httpPort;

	private ServerSocket serverSocket;

	private HttpServer httpServer;

	private ExecutorService httpExecutor;

	private Thread acceptor;

	/**
	 * Create a stopped nsqlookupd on random free ports with nsqlookupd's default
	 * inactive-producer timeout (300 s) and tombstone lifetime (45 s).
	 */
	public EmbeddedNsqlookupd() {
		this(0, 0, Duration.ofSeconds(300), Duration.ofSeconds(45));
	}

	/**
	 * Create a stopped nsqlookupd.
	 * @param tcpPort TCP port, 0 for a random free one
	 * @param httpPort HTTP port, 0 for a random free one
	 * @param inactiveProducerTimeout {@code --inactive-producer-timeout}
	 * @param tombstoneLifetime {@code --tombstone-lifetime}
	 */
	public EmbeddedNsqlookupd(int tcpPort, int httpPort, Duration inactiveProducerTimeout, Duration tombstoneLifetime) {
		this.tcpPort = tcpPort;
		this.httpPort = httpPort;
		this.inactiveProducerTimeout = inactiveProducerTimeout;
		this.tombstoneLifetime = tombstoneLifetime;
	}

	/**
	 * Bind the ports and serve; after {@link #stop()} binds the same ports again. Does
	 * nothing when running.
	 * @return this nsqlookupd
	 * @throws UncheckedIOException when a port cannot be bound
	 */
	public synchronized EmbeddedNsqlookupd start() {
		if (this.running) {
			return this;
		}
		try {
			InetAddress loopback = InetAddress.getLoopbackAddress();
			ServerSocket tcp = new ServerSocket();
			tcp.setReuseAddress(true);
			tcp.bind(new InetSocketAddress(loopback, this.tcpPort), 128);
			this.tcpPort = tcp.getLocalPort();
			this.serverSocket = tcp;
			try {
				this.httpServer = HttpServer.create(new InetSocketAddress(loopback, this.httpPort), 128);
			}
			catch (IOException ex) {
				tcp.close();
				throw ex;
			}
			this.httpPort = this.httpServer.getAddress().getPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot bind embedded nsqlookupd ports", ex);
		}
		this.httpExecutor = Threads.httpPool("lookupd-" + this.tcpPort + "-http", 4);
		this.httpServer.setExecutor(this.httpExecutor);
		this.httpServer.createContext("/", this::handleHttp);
		this.running = true;
		this.httpServer.start();
		this.acceptor = Threads.start("lookupd-" + this.tcpPort + "-acceptor", this::acceptLoop);
		return this;
	}

	/**
	 * Stop: close the ports and all nsqd connections (their nodes leave every producer
	 * list) and wait for the threads. Registered topic and channel keys are kept.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.httpServer.stop(0);
		this.httpExecutor.shutdownNow();
		for (Socket socket : this.connections) {
			closeQuietly(socket);
		}
		Threads.join(this.acceptor, 5000);
		for (Thread thread : this.connectionThreads) {
			Threads.join(thread, 5000);
		}
		try {
			this.httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}

	/**
	 * @return whether it is running
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return the TCP port nsqd nodes register on
	 */
	public int tcpPort() {
		return this.tcpPort;
	}

	/**
	 * @return the HTTP port clients query
	 */
	public int httpPort() {
		return this.httpPort;
	}

	/**
	 * @return {@code 127.0.0.1:<tcpPort>}
	 */
	public String tcpAddress() {
		return "127.0.0.1:" + this.tcpPort;
	}

	/**
	 * @return {@code 127.0.0.1:<httpPort>}
	 */
	public String httpAddress() {
		return "127.0.0.1:" + this.httpPort;
	}

	/**
	 * The producers {@code /lookup} would return for a topic.
	 * @param topic the topic
	 * @return {@code broadcast_address:tcp_port} of each, empty when none (or unknown)
	 */
	public List<String> lookup(String topic) {
		List<String> addresses = new ArrayList<>();
		for (Producer producer : activeProducers(new Key("topic", topic, ""), true)) {
			addresses.add(producer.peer.broadcastAddress + ":" + producer.peer.tcpPort);
		}
		return addresses;
	}

	/**
	 * How many nsqd nodes are registered (what {@code /nodes} lists).
	 * @return the number of connected, identified nodes
	 */
	public int nodeCount() {
		return activeProducers(new Key("client", "", ""), false).size();
	}

	// ---------------------------------------------------------------- TCP

	private void acceptLoop() {
		while (this.running) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.connections.add(socket);
			if (!this.running) {
				closeQuietly(socket);
				return;
			}
			Thread[] holder = new Thread[1];
			holder[0] = Threads.start("lookupd-" + this.tcpPort + "-peer-" + socket.getPort(), () -> {
				try {
					serve(socket);
				}
				finally {
					this.connections.remove(socket);
					this.connectionThreads.remove(holder[0]);
				}
			});
			this.connectionThreads.add(holder[0]);
		}
	}

	private void serve(Socket socket) {
		Peer peer = null;
		try (socket) {
			DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
			OutputStream out = socket.getOutputStream();
			byte[] magic = new byte[4];
			in.readFully(magic);
			if (!"  V1".equals(new String(magic, StandardCharsets.US_ASCII))) {
				respond(out, "E_BAD_PROTOCOL");
				return;
			}
			while (this.running) {
				String line = readLine(in);
				if (line == null) {
					return;
				}
				String[] params = line.trim().split(" ", -1);
				String command = params[0];
				try {
					switch (command) {
						case "PING" -> {
							if (peer != null) {
								peer.lastUpdateNanos = System.nanoTime();
							}
							respond(out, "OK");
						}
						case "IDENTIFY" -> {
							if (peer != null) {
								throw new LookupError("E_INVALID cannot IDENTIFY again");
							}
							peer = identify(socket, in);
							respond(out, identifyResponse());
						}
						case "REGISTER" -> {
							requireIdentified(peer);
							String[] tc = topicChannel("REGISTER", params);
							if (!tc[1].isEmpty()) {
								this.db.addProducer(new Key("channel", tc[0], tc[1]), peer);
							}
							this.db.addProducer(new Key("topic", tc[0], ""), peer);
							respond(out, "OK");
						}
						case "UNREGISTER" -> {
							requireIdentified(peer);
							String[] tc = topicChannel("UNREGISTER", params);
							unregister(peer, tc[0], tc[1]);
							respond(out, "OK");
						}
						default -> throw new LookupError("E_INVALID invalid command " + command);
					}
				}
				catch (LookupError error) {
					respond(out, error.getMessage());
					return;
				}
			}
		}
		catch (IOException ex) {
			// connection gone: the node leaves every producer list below
		}
		finally {
			if (peer != null) {
				this.db.removePeer(peer.id);
			}
		}
	}

	private Peer identify(Socket socket, DataInputStream in) throws IOException {
		int len;
		byte[] body;
		try {
			len = in.readInt();
		}
		catch (IOException ex) {
			throw new LookupError("E_BAD_BODY IDENTIFY failed to read body size");
		}
		try {
			if (len < 0 || len > 1024 * 1024) {
				throw new EOFException();
			}
			body = new byte[len];
			in.readFully(body);
		}
		catch (IOException ex) {
			throw new LookupError("E_BAD_BODY IDENTIFY failed to read body");
		}
		Map<String, Object> data;
		try {
			data = Json.parseObject(body);
		}
		catch (RuntimeException ex) {
			throw new LookupError("E_BAD_BODY IDENTIFY failed to decode JSON body");
		}
		String id = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
		Peer peer = new Peer(id, Json.getString(data, "hostname", ""), Json.getString(data, "broadcast_address", ""),
				Json.getLong(data, "tcp_port", 0), Json.getLong(data, "http_port", 0),
				Json.getString(data, "version", ""), Json.getString(data, "topology_zone", ""),
				Json.getString(data, "topology_region", ""));
		if (peer.broadcastAddress.isEmpty() || peer.tcpPort == 0 || peer.httpPort == 0 || peer.version.isEmpty()) {
			throw new LookupError("E_BAD_BODY IDENTIFY missing fields");
		}
		this.db.addProducer(new Key("client", "", ""), peer);
		return peer;
	}

	private String identifyResponse() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("broadcast_address", "127.0.0.1");
		data.put("hostname", "localhost");
		data.put("http_port", this.httpPort);
		data.put("tcp_port", this.tcpPort);
		data.put("version", VERSION);
		return Json.write(data);
	}

	private void unregister(Peer peer, String topic, String channel) {
		if (!channel.isEmpty()) {
			Key key = new Key("channel", topic, channel);
			int left = this.db.removeProducer(key, peer.id);
			if (left == 0 && NsqNames.isEphemeral(channel)) {
				this.db.removeRegistration(key);
			}
			return;
		}
		for (Key key : this.db.find("channel", topic, "*")) {
			this.db.removeProducer(key, peer.id);
		}
		Key key = new Key("topic", topic, "");
		int left = this.db.removeProducer(key, peer.id);
		if (left == 0 && NsqNames.isEphemeral(topic)) {
			this.db.removeRegistration(key);
		}
	}

	private static void requireIdentified(Peer peer) throws LookupError {
		if (peer == null) {
			throw new LookupError("E_INVALID client must IDENTIFY");
		}
	}

	private static String[] topicChannel(String command, String[] params) throws LookupError {
		if (params.length < 2) {
			throw new LookupError("E_INVALID " + command + " insufficient number of params");
		}
		String topic = params[1];
		String channel = (params.length >= 3) ? params[2] : "";
		if (!NsqNames.isValid(topic)) {
			throw new LookupError("E_BAD_TOPIC " + command + " topic name '" + topic + "' is not valid");
		}
		if (!channel.isEmpty() && !NsqNames.isValid(channel)) {
			throw new LookupError("E_BAD_CHANNEL " + command + " channel name '" + channel + "' is not valid");
		}
		return new String[] { topic, channel };
	}

	private static String readLine(DataInputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			if (b == '\n') {
				return line.toString(StandardCharsets.UTF_8);
			}
			if (line.size() > 64 * 1024) {
				return null;
			}
			line.write(b);
		}
	}

	private static void respond(OutputStream out, String data) throws IOException {
		byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[4 + bytes.length];
		frame[0] = (byte) (bytes.length >>> 24);
		frame[1] = (byte) (bytes.length >>> 16);
		frame[2] = (byte) (bytes.length >>> 8);
		frame[3] = (byte) bytes.length;
		System.arraycopy(bytes, 0, frame, 4, bytes.length);
		out.write(frame);
		out.flush();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static final class LookupError extends IOException {

		LookupError(String message) {
			super(message, null);
		}

	}

	// ---------------------------------------------------------------- HTTP

	private void handleHttp(HttpExchange exchange) throws IOException {
		Http.dispatch(exchange, METHODS, (path, params) -> route(path, exchange, params));
	}

	private void route(String path, HttpExchange exchange, Map<String, String> params) throws IOException {
		switch (path) {
			case "/ping" -> Http.text(exchange, "OK", false);
			case "/info" -> Http.json(exchange, Map.of("version", VERSION));
			case "/lookup" -> {
				String topic = required(params, "topic", "MISSING_ARG_TOPIC");
				Key key = new Key("topic", topic, "");
				if (this.db.find("topic", topic, "").isEmpty()) {
					throw new HttpError(404, "TOPIC_NOT_FOUND");
				}
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("channels", channels(topic));
				List<Object> producers = new ArrayList<>();
				for (Producer producer : activeProducers(key, true)) {
					producers.add(producer.peer.info());
				}
				body.put("producers", producers);
				Http.json(exchange, body);
			}
			case "/topics" -> {
				TreeSet<String> topics = new TreeSet<>();
				this.db.find("topic", "*", "").forEach((k) -> topics.add(k.key()));
				Http.json(exchange, Map.of("topics", new ArrayList<>(topics)));
			}
			case "/channels" -> {
				String topic = required(params, "topic", "MISSING_ARG_TOPIC");
				Http.json(exchange, Map.of("channels", channels(topic)));
			}
			case "/nodes" -> Http.json(exchange, Map.of("producers", nodes()));
			case "/debug" -> Http.json(exchange, Map.of());
			case "/topic/create" -> {
				String topic = required(params, "topic", "MISSING_ARG_TOPIC");
				if (!NsqNames.isValid(topic)) {
					throw new HttpError(400, "INVALID_ARG_TOPIC");
				}
				this.db.addRegistration(new Key("topic", topic, ""));
				Http.empty(exchange);
			}
			case "/topic/delete" -> {
				String topic = required(params, "topic", "MISSING_ARG_TOPIC");
				this.db.find("channel", topic, "*").forEach(this.db::removeRegistration);
				this.db.find("topic", topic, "").forEach(this.db::removeRegistration);
				Http.empty(exchange);
			}
			case "/topic/tombstone" -> {
				String topic = required(params, "topic", "MISSING_ARG_TOPIC");
				String node = required(params, "node", "MISSING_ARG_NODE");
				this.db.tombstone(topic, node);
				Http.empty(exchange);
			}
			case "/channel/create" -> {
				String[] tc = topicChannelArgs(params);
				this.db.addRegistration(new Key("channel", tc[0], tc[1]));
				this.db.addRegistration(new Key("topic", tc[0], ""));
				Http.empty(exchange);
			}
			default -> {
				String[] tc = topicChannelArgs(params);
				List<Key> keys = this.db.find("channel", tc[0], tc[1]);
				if (keys.isEmpty()) {
					throw new HttpError(404, "CHANNEL_NOT_FOUND");
				}
				keys.forEach(this.db::removeRegistration);
				Http.empty(exchange);
			}
		}
	}

	private List<String> channels(String topic) {
		TreeSet<String> channels = new TreeSet<>();
		this.db.find("channel", topic, "*").forEach((k) -> channels.add(k.subkey()));
		return new ArrayList<>(channels);
	}

	private List<Producer> activeProducers(Key key, boolean filterTombstoned) {
		long now = System.nanoTime();
		List<Producer> active = new ArrayList<>();
		for (Producer producer : this.db.producers(key)) {
			if (now - producer.peer.lastUpdateNanos > this.inactiveProducerTimeout.toNanos()) {
				continue;
			}
			if (filterTombstoned && producer.isTombstoned(this.tombstoneLifetime.toNanos())) {
				continue;
			}
			active.add(producer);
		}
		return active;
	}

	private List<Object> nodes() {
		List<Object> nodes = new ArrayList<>();
		for (Producer producer : activeProducers(new Key("client", "", ""), false)) {
			Map<String, Object> node = producer.peer.info();
			List<String> topics = this.db.topicsOf(producer.peer.id);
			List<Boolean> tombstones = new ArrayList<>();
			for (String topic : topics) {
				Producer p = this.db.producer(new Key("topic", topic, ""), producer.peer.id);
				tombstones.add(p != null && p.isTombstoned(this.tombstoneLifetime.toNanos()));
			}
			node.put("tombstones", tombstones);
			node.put("topics", topics);
			nodes.add(node);
		}
		return nodes;
	}

	private static String required(Map<String, String> params, String key, String missing) {
		String value = params.get(key);
		if (value == null) {
			throw new HttpError(400, missing);
		}
		return value;
	}

	private static String[] topicChannelArgs(Map<String, String> params) {
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

	@Override
	public String toString() {
		return "EmbeddedNsqlookupd[tcp=" + tcpAddress() + ", http=" + httpAddress() + ", running=" + this.running + "]";
	}

}
