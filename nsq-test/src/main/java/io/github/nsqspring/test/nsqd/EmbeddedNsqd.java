package io.github.nsqspring.test.nsqd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;

import io.github.nsqspring.core.protocol.NsqNames;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.support.Threads;
import io.github.nsqspring.test.tls.TestCertificates;

/**
 * An nsqd that runs inside the JVM, on loopback, for tests and local development. It is
 * <strong>not for production</strong>: it keeps everything in memory, has no disk queue
 * and is built for observability and fault injection, not for durability.
 * <p>
 * It speaks protocol V2 and nsqd's HTTP API as nsqd 1.3 does on everything a client can
 * observe: the per-state command rules and exact error texts, fatal versus non-fatal
 * errors, IDENTIFY validation and negotiation (TLS with the test certificate of
 * {@link TestCertificates}, snappy when snappy-java is present, deflate), AUTH through an
 * {@link io.github.nsqspring.test.auth.NsqAuthorizer}, heartbeats and the 2× heartbeat
 * read deadline, the RDY window, in-flight timeouts (scanned every 100 ms), REQ and DPUB
 * deferral, TOUCH, CLS, topic to channel fan-out, ephemeral topics and channels, and
 * registration with nsqlookupd over its TCP protocol. Differences: frames are flushed as
 * soon as nothing more is queued (no output buffer delay); nothing is written to disk.
 * <p>
 * {@link #stop()} followed by {@link #start()} restarts on the same ports and keeps
 * non-ephemeral topics, channels and their messages (in-flight and deferred ones are
 * queued again), like a real nsqd restarted on the same data path.
 * <p>
 * Threads are daemons named {@code nsq-test-nsqd-<tcpPort>-…} and are all gone when
 * {@link #stop()} returns (except the JDK HTTP server's own dispatcher thread, which the
 * JDK names and stops itself).
 */
public final class EmbeddedNsqd implements AutoCloseable {

	/** The nsqd version this server imitates and reports. */
	public static final String VERSION = "1.3.0";

	static final boolean SNAPPY_AVAILABLE = isPresent("org.xerial.snappy.SnappyFramedOutputStream");

	private static final AtomicInteger NODE_IDS = new AtomicInteger();

	private static final long SCAN_INTERVAL_MILLIS = 100;

	private final NsqdOptions options;

	private final MessageIds ids;

	private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

	private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();

	private final Object freezeMonitor = new Object();

	private volatile boolean frozen;

	private volatile boolean running;

	private volatile int tcpPort;

	private volatile int httpPort;

	private volatile long startTime;

	private volatile SSLContext sslContext;

	private ServerSocket serverSocket;

	private HttpServer httpServer;

	private ExecutorService httpExecutor;

	private Thread acceptor;

	private Thread scanner;

	private volatile Registrations registrations = Registrations.NONE;

	private final List<LookupPeer> lookupPeers = new ArrayList<>();

	/** The peers while started, for threads other than start and stop. */
	private volatile List<LookupPeer> activeLookupPeers = List.of();

	/**
	 * Create a stopped nsqd with random free ports.
	 * @param options the server options
	 */
	public EmbeddedNsqd(NsqdOptions options) {
		this(options, 0, 0);
	}

	/**
	 * Create a stopped nsqd.
	 * @param options the server options
	 * @param tcpPort the TCP port, 0 for a random free one
	 * @param httpPort the HTTP port, 0 for a random free one
	 */
	public EmbeddedNsqd(NsqdOptions options, int tcpPort, int httpPort) {
		this.options = Objects.requireNonNull(options, "options");
		int nodeId = (options.nodeId() >= 0) ? options.nodeId() : NODE_IDS.getAndIncrement() % 1024;
		this.ids = new MessageIds(nodeId);
		this.tcpPort = tcpPort;
		this.httpPort = httpPort;
	}

	/**
	 * Create and start an nsqd with the given options on random free ports.
	 * @param options the nsqd options
	 * @return the running nsqd
	 * @throws UncheckedIOException when a port cannot be bound
	 */
	public static EmbeddedNsqd start(NsqdOptions options) {
		return new EmbeddedNsqd(options).start();
	}

	/**
	 * Bind the ports and start serving. After a {@link #stop()} it binds the same ports
	 * again. Does nothing when already running.
	 * @return this nsqd
	 * @throws UncheckedIOException when a port cannot be bound
	 */
	public synchronized EmbeddedNsqd start() {
		if (this.running) {
			return this;
		}
		try {
			InetAddress loopback = InetAddress.getLoopbackAddress();
			ServerSocket tcp = new ServerSocket();
			tcp.setReuseAddress(true);
			tcp.bind(new InetSocketAddress(loopback, this.tcpPort), 128);
			this.serverSocket = tcp;
			this.tcpPort = tcp.getLocalPort();
			HttpServer http;
			try {
				http = HttpServer.create(new InetSocketAddress(loopback, this.httpPort), 128);
			}
			catch (IOException ex) {
				tcp.close();
				throw ex;
			}
			this.httpPort = http.getAddress().getPort();
			this.httpExecutor = Threads.httpPool("nsqd-" + this.tcpPort + "-http", 4);
			http.setExecutor(this.httpExecutor);
			http.createContext("/", new NsqdHttpApi(this));
			this.httpServer = http;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot bind embedded nsqd ports", ex);
		}
		if (this.options.tls() && this.sslContext == null) {
			this.sslContext = TestCertificates.serverSslContext();
		}
		this.startTime = System.currentTimeMillis() / 1000;
		this.frozen = false;
		this.running = true;
		this.httpServer.start();
		this.acceptor = Threads.start("nsqd-" + this.tcpPort + "-acceptor", this::acceptLoop);
		this.scanner = Threads.start("nsqd-" + this.tcpPort + "-scanner", this::scanLoop);
		startLookupPeers();
		return this;
	}

	/**
	 * Stop serving: close the ports and every client connection, stop registering with
	 * nsqlookupd (which drops this node from its producers) and wait for all threads to
	 * end. Non-ephemeral topics and channels and their messages are kept for a later
	 * {@link #start()}. Does nothing when not running.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		resume();
		stopLookupPeers();
		closeQuietly(this.serverSocket);
		this.httpServer.stop(0);
		this.httpExecutor.shutdownNow();
		List<ClientConnection> open = new ArrayList<>(this.clients);
		open.forEach(ClientConnection::close);
		Threads.join(this.acceptor, 5000);
		this.scanner.interrupt();
		Threads.join(this.scanner, 5000);
		for (ClientConnection client : open) {
			client.joinThreads(5000);
		}
		try {
			this.httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.clients.clear();
		for (Topic topic : new ArrayList<>(this.topics.values())) {
			if (topic.ephemeral) {
				this.topics.remove(topic.name, topic);
				topic.markDeleted();
				continue;
			}
			for (Channel channel : topic.channels()) {
				if (channel.ephemeral) {
					topic.deleteChannel(channel, false);
				}
			}
			topic.requeueAllForRestart();
		}
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}

	/**
	 * @return whether the server is running
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * @return the TCP port (0 before the first start when a random port was asked for)
	 */
	public int tcpPort() {
		return this.tcpPort;
	}

	/**
	 * @return the HTTP port (0 before the first start when a random port was asked for)
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
	 * @return the options this nsqd runs with
	 */
	public NsqdOptions options() {
		return this.options;
	}

	/**
	 * Fault injection: freeze the node as if it hung. Open connections stay open but no
	 * command is read or answered, no message is delivered, no heartbeat is sent,
	 * timeouts do not fire and HTTP requests wait; new connections are accepted by the OS
	 * but not served. {@link #resume()} continues where it stopped.
	 */
	public void pause() {
		this.frozen = true;
	}

	/** Undo {@link #pause()}. */
	public void resume() {
		synchronized (this.freezeMonitor) {
			this.frozen = false;
			this.freezeMonitor.notifyAll();
		}
		for (Topic topic : this.topics.values()) {
			topic.channels().forEach(Channel::dispatch);
		}
	}

	/**
	 * @return whether {@link #pause()} is in effect
	 */
	public boolean isPaused() {
		return this.frozen;
	}

	/**
	 * Fault injection: close every client TCP connection at once (clients see the socket
	 * closed, as when nsqd or the network fails). The server keeps running and accepts
	 * new connections. Their in-flight messages time out later, as with nsqd.
	 * @return how many connections were closed
	 */
	public int dropConnections() {
		List<ClientConnection> open = new ArrayList<>(this.clients);
		open.forEach(ClientConnection::close);
		return open.size();
	}

	/**
	 * @return the number of open client connections
	 */
	public int connectionCount() {
		return this.clients.size();
	}

	/**
	 * @return the names of existing topics, sorted
	 */
	public List<String> topicNames() {
		return new ArrayList<>(new TreeMap<>(this.topics).keySet());
	}

	/**
	 * Names of a topic's channels.
	 * @param topic the topic
	 * @return the channel names, sorted; empty when the topic does not exist
	 */
	public List<String> channelNames(String topic) {
		Topic t = this.topics.get(topic);
		List<String> names = new ArrayList<>();
		if (t != null) {
			t.channels().forEach((c) -> names.add(c.name));
		}
		return names;
	}

	/**
	 * Publish without a client connection, as {@code POST /pub} does.
	 * @param topic a valid topic name (created when missing)
	 * @param body the message body
	 * @throws IllegalArgumentException when the name is invalid
	 */
	public void publish(String topic, byte[] body) {
		io.github.nsqspring.core.protocol.NsqNames.requireValidTopic(topic);
		publish(topic, List.of(body.clone()), 0);
	}

	// ---------------------------------------------------------------- internals

	void awaitNotFrozen() {
		if (!this.frozen) {
			return;
		}
		synchronized (this.freezeMonitor) {
			while (this.frozen && this.running) {
				try {
					this.freezeMonitor.wait(100);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	boolean isFrozen() {
		return this.frozen;
	}

	SSLContext sslContext() {
		return this.sslContext;
	}

	long startTime() {
		return this.startTime;
	}

	Registrations registrations() {
		return this.registrations;
	}

	private void acceptLoop() {
		while (this.running) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				return;
			}
			try {
				socket.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				// keep going without it
			}
			ClientConnection client = new ClientConnection(this, socket);
			this.clients.add(client);
			if (!this.running) {
				client.close();
				this.clients.remove(client);
				return;
			}
			client.start();
		}
	}

	private void scanLoop() {
		while (this.running) {
			try {
				Thread.sleep(SCAN_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (this.frozen) {
				continue;
			}
			long now = System.nanoTime();
			for (Topic topic : this.topics.values()) {
				for (Channel channel : topic.channels()) {
					channel.scan(now);
				}
			}
			for (ClientConnection client : this.clients) {
				client.heartbeatIfDue(now);
			}
		}
	}

	void removeClient(ClientConnection client) {
		this.clients.remove(client);
	}

	/**
	 * Existing topic or a new one (announced to nsqlookupd). As nsqd's {@code GetTopic},
	 * a new topic first gets the non-ephemeral channels that nsqlookupd knows for it, so
	 * that no channel misses its first messages on a node that did not have the topic
	 * yet.
	 */
	Topic getOrCreateTopic(String name) {
		while (true) {
			Topic topic = this.topics.get(name);
			if (topic != null && !topic.isDeleted()) {
				return topic;
			}
			Topic created = new Topic(this, name);
			preCreateChannels(created);
			if (topic == null ? this.topics.putIfAbsent(name, created) == null
					: this.topics.replace(name, topic, created)) {
				this.registrations.topicCreated(name);
				return created;
			}
		}
	}

	private void preCreateChannels(Topic topic) {
		for (LookupPeer peer : this.activeLookupPeers) {
			for (String channel : peer.channels(topic.name)) {
				if (!NsqNames.isEphemeral(channel)) {
					topic.getOrCreateChannel(channel);
				}
			}
		}
	}

	Topic getTopic(String name) {
		return this.topics.get(name);
	}

	boolean publish(String topicName, List<byte[]> bodies, long deferNanos) {
		for (int attempt = 0; attempt < 2; attempt++) {
			Topic topic = getOrCreateTopic(topicName);
			List<Message> messages = new ArrayList<>(bodies.size());
			for (byte[] body : bodies) {
				long id = this.ids.next();
				messages.add(new Message(id, MessageIds.hex(id), nowNanos(), body));
			}
			if (topic.put(messages, deferNanos)) {
				return true;
			}
		}
		return false;
	}

	void deleteTopic(Topic topic) {
		if (this.topics.remove(topic.name, topic)) {
			topic.markDeleted();
			this.registrations.topicDeleted(topic.name);
		}
	}

	private static long nowNanos() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	Map<String, Object> stats(String topicFilter, String channelFilter, boolean includeClients, boolean includeMem) {
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("version", VERSION);
		stats.put("health", "OK");
		stats.put("start_time", this.startTime);
		List<Topic> selected = new ArrayList<>();
		boolean missingTopic = false;
		if (topicFilter == null || topicFilter.isEmpty()) {
			selected.addAll(new TreeMap<>(this.topics).values());
		}
		else if (this.topics.containsKey(topicFilter)) {
			selected.add(this.topics.get(topicFilter));
		}
		else {
			missingTopic = true;
		}
		if (missingTopic) {
			stats.put("topics", null);
		}
		else {
			List<Object> topicStats = new ArrayList<>();
			String channel = (channelFilter == null || channelFilter.isEmpty()) ? null : channelFilter;
			for (Topic topic : selected) {
				if (channel != null && topic.getChannel(channel) == null) {
					continue;
				}
				topicStats.add(topic.stats(channel, includeClients));
			}
			stats.put("topics", topicStats);
		}
		if (includeMem) {
			Runtime rt = Runtime.getRuntime();
			Map<String, Object> memory = new LinkedHashMap<>();
			memory.put("heap_objects", 0L);
			memory.put("heap_idle_bytes", rt.freeMemory());
			memory.put("heap_in_use_bytes", rt.totalMemory() - rt.freeMemory());
			memory.put("heap_released_bytes", 0L);
			memory.put("gc_pause_usec_100", 0L);
			memory.put("gc_pause_usec_99", 0L);
			memory.put("gc_pause_usec_95", 0L);
			memory.put("next_gc_bytes", 0L);
			memory.put("gc_total_runs", 0L);
			stats.put("memory", memory);
		}
		List<Object> producers = new ArrayList<>();
		if (includeClients && !missingTopic) {
			for (ClientConnection client : this.clients) {
				if (client.hasPublished()) {
					producers.add(client.stats());
				}
			}
		}
		stats.put("producers", producers.isEmpty() ? null : producers);
		return stats;
	}

	static Map<String, Object> emptyLatency() {
		Map<String, Object> latency = new LinkedHashMap<>();
		latency.put("count", 0);
		latency.put("percentiles", null);
		return latency;
	}

	// ---------------------------------------------------------------- lookupd

	private void startLookupPeers() {
		List<String> addresses = this.options.lookupdTcpAddresses();
		if (addresses.isEmpty()) {
			return;
		}
		for (String address : addresses) {
			this.lookupPeers.add(new LookupPeer(this, address));
		}
		List<LookupPeer> peers = List.copyOf(this.lookupPeers);
		this.activeLookupPeers = peers;
		this.registrations = new Registrations() {

			@Override
			public void topicCreated(String topic) {
				peers.forEach((p) -> p.command("REGISTER " + topic));
			}

			@Override
			public void topicDeleted(String topic) {
				peers.forEach((p) -> p.command("UNREGISTER " + topic));
			}

			@Override
			public void channelCreated(String topic, String channel) {
				peers.forEach((p) -> p.command("REGISTER " + topic + " " + channel));
			}

			@Override
			public void channelDeleted(String topic, String channel) {
				peers.forEach((p) -> p.command("UNREGISTER " + topic + " " + channel));
			}

		};
		peers.forEach(LookupPeer::start);
	}

	private void stopLookupPeers() {
		this.registrations = Registrations.NONE;
		this.activeLookupPeers = List.of();
		this.lookupPeers.forEach(LookupPeer::stop);
		this.lookupPeers.clear();
	}

	/** The REGISTER commands that describe the current topics and channels. */
	List<String> registrationSnapshot() {
		List<String> commands = new ArrayList<>();
		for (Topic topic : new TreeMap<>(this.topics).values()) {
			List<Channel> channels = topic.channels();
			if (channels.isEmpty()) {
				commands.add("REGISTER " + topic.name);
			}
			for (Channel channel : channels) {
				commands.add("REGISTER " + topic.name + " " + channel.name);
			}
		}
		return commands;
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			if (socket != null) {
				socket.close();
			}
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, EmbeddedNsqd.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "EmbeddedNsqd[tcp=" + tcpAddress() + ", http=" + httpAddress() + ", running=" + this.running + "]";
	}

}
