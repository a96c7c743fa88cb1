package io.github.nsqspring.test.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.EmbeddedAuthServer;
import io.github.nsqspring.test.tls.TestCertificates;

/**
 * Real {@code nsqd} and {@code nsqlookupd} processes on 127.0.0.1 with free ports, for
 * tests that must hold against the real thing. Binaries come from a folder, usually named
 * by the environment variable {@value #BIN_DIR_ENV}. Every nsqd gets
 * {@code --broadcast-address=127.0.0.1}, its own temporary {@code --data-path} (deleted
 * by {@link #close()}), the shipped test certificate when TLS is enabled, an
 * {@link EmbeddedAuthServer} when an authorizer is set, and registers with the lookupd.
 * The {@link NsqdOptions} are passed as the matching command line flags.
 * <p>
 * {@link #start} returns when every process answers {@code /ping} and every node is
 * listed by the lookupd; it fails with an {@link IllegalStateException} holding the
 * process output otherwise.
 */
public final class ProcessNsqCluster implements NsqCluster {

	/** Environment variable naming the folder with real nsqd and nsqlookupd binaries. */
	public static final String BIN_DIR_ENV = "NSQ_BIN_DIR";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private final NsqClusterSpec spec;

	private final Path binDir;

	private final Path root;

	private final List<Node> nodes = new ArrayList<>();

	private Node lookupd;

	private EmbeddedAuthServer authServer;

	private ProcessNsqCluster(NsqClusterSpec spec, Path binDir) throws IOException {
		this.spec = spec;
		this.binDir = binDir;
		this.root = Files.createTempDirectory("nsq-test-");
	}

	/**
	 * The folder named by {@value #BIN_DIR_ENV}, when set and non-empty.
	 * @return the folder or {@code null}
	 */
	public static Path binDirFromEnvironment() {
		String dir = System.getenv(BIN_DIR_ENV);
		return (dir == null || dir.isBlank()) ? null : Paths.get(dir);
	}

	/**
	 * Start processes.
	 * @param spec what to start
	 * @param binDir folder holding {@code nsqd} and {@code nsqlookupd}
	 * @return the running cluster
	 * @throws IllegalStateException when a process does not come up (everything started
	 * is stopped again)
	 */
	public static ProcessNsqCluster start(NsqClusterSpec spec, Path binDir) {
		ProcessNsqCluster cluster;
		try {
			cluster = new ProcessNsqCluster(spec, binDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			cluster.startAll();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private void startAll() {
		NsqdOptions options = this.spec.options();
		if (options.authorizer() != null) {
			this.authServer = new EmbeddedAuthServer(options.authorizer()).start();
		}
		if (this.spec.lookupd()) {
			int tcp = freePort();
			int http = freePort();
			this.lookupd = new Node("nsqlookupd", tcp, http,
					List.of(this.binDir.resolve("nsqlookupd").toString(), "--tcp-address=127.0.0.1:" + tcp,
							"--http-address=127.0.0.1:" + http, "--broadcast-address=127.0.0.1"));
			this.lookupd.start();
		}
		for (int i = 0; i < this.spec.nodes(); i++) {
			int tcp = freePort();
			int http = freePort();
			int https = freePort();
			Path data = this.root.resolve("nsqd-" + i);
			try {
				Files.createDirectories(data);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.nodes.add(new Node("nsqd-" + i, tcp, http, nsqdCommand(i, tcp, http, https, data)));
		}
		for (Node node : this.nodes) {
			node.start();
		}
		for (Node node : this.nodes) {
			node.awaitReady();
		}
		if (this.lookupd != null) {
			this.lookupd.awaitReady();
			awaitRegistered(this.nodes.size());
		}
	}

	private List<String> nsqdCommand(int index, int tcp, int http, int https, Path data) {
		NsqdOptions o = this.spec.options();
		List<String> command = new ArrayList<>();
		command.add(this.binDir.resolve("nsqd").toString());
		command.add("--tcp-address=127.0.0.1:" + tcp);
		command.add("--http-address=127.0.0.1:" + http);
		command.add("--https-address=127.0.0.1:" + https);
		command.add("--broadcast-address=127.0.0.1");
		command.add("--data-path=" + data);
		command.add("--node-id=" + ((o.nodeId() >= 0) ? o.nodeId() : index + 1));
		command.add("--max-rdy-count=" + o.maxRdyCount());
		command.add("--max-msg-size=" + o.maxMsgSize());
		command.add("--max-body-size=" + o.maxBodySize());
		command.add("--msg-timeout=" + o.msgTimeout().toMillis() + "ms");
		command.add("--max-msg-timeout=" + o.maxMsgTimeout().toMillis() + "ms");
		command.add("--max-req-timeout=" + o.maxReqTimeout().toMillis() + "ms");
		command.add("--max-heartbeat-interval=" + o.maxHeartbeatInterval().toMillis() + "ms");
		command.add("--max-output-buffer-size=" + o.maxOutputBufferSize());
		command.add("--max-output-buffer-timeout=" + o.maxOutputBufferTimeout().toMillis() + "ms");
		command.add("--min-output-buffer-timeout=" + o.minOutputBufferTimeout().toMillis() + "ms");
		command.add("--output-buffer-timeout=" + o.outputBufferTimeout().toMillis() + "ms");
		command.add("--max-deflate-level=" + o.maxDeflateLevel());
		command.add("--deflate=" + o.deflate());
		command.add("--snappy=" + o.snappy());
		command.add("--mem-queue-size=" + o.memQueueSize());
		command.add("--max-channel-consumers=" + o.maxChannelConsumers());
		command.add("--sync-every=" + o.syncEvery());
		if (o.tls()) {
			command.add("--tls-cert=" + TestCertificates.serverCertPemPath());
			command.add("--tls-key=" + TestCertificates.serverKeyPemPath());
		}
		if (o.tlsRequired()) {
			command.add("--tls-required=true");
		}
		if (this.authServer != null) {
			command.add("--auth-http-address=" + this.authServer.address());
		}
		if (this.lookupd != null) {
			command.add("--lookupd-tcp-address=127.0.0.1:" + this.lookupd.tcpPort);
		}
		for (String address : o.lookupdTcpAddresses()) {
			command.add("--lookupd-tcp-address=" + address);
		}
		return command;
	}

	private void awaitRegistered(int expected) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String body = httpGet(this.lookupd.httpPort, "/nodes");
			if (body != null) {
				Object producers = Json.parseObject(body).get("producers");
				if (producers instanceof List<?> list && list.size() >= expected) {
					return;
				}
			}
			pause(20);
		}
		StringBuilder logs = new StringBuilder();
		logs.append("\n").append(this.lookupd.name).append(": ").append(this.lookupd.logTail());
		for (Node node : this.nodes) {
			logs.append("\n").append(node.name).append(": ").append(node.logTail());
		}
		throw new IllegalStateException("nsqd nodes did not register with nsqlookupd in " + STARTUP_TIMEOUT + logs);
	}

	@Override
	public int size() {
		return this.nodes.size();
	}

	@Override
	public String nsqdTcpAddress(int node) {
		return "127.0.0.1:" + this.nodes.get(node).tcpPort;
	}

	@Override
	public String nsqdHttpAddress(int node) {
		return "127.0.0.1:" + this.nodes.get(node).httpPort;
	}

	@Override
	public boolean hasLookupd() {
		return this.lookupd != null;
	}

	@Override
	public String lookupdHttpAddress() {
		requireLookupd();
		return "127.0.0.1:" + this.lookupd.httpPort;
	}

	@Override
	public String lookupdTcpAddress() {
		requireLookupd();
		return "127.0.0.1:" + this.lookupd.tcpPort;
	}

	private void requireLookupd() {
		if (this.lookupd == null) {
			throw new IllegalStateException("this cluster has no nsqlookupd");
		}
	}

	@Override
	public NsqdOptions options() {
		return this.spec.options();
	}

	@Override
	public void stopNode(int node) {
		this.nodes.get(node).stop();
	}

	/**
	 * Kill one nsqd with SIGKILL, as a crash would: it persists nothing more. What it
	 * wrote to its disk queues survives for {@link #startNode(int)}.
	 * @param node node index
	 */
	public void killNode(int node) {
		this.nodes.get(node).kill();
	}

	@Override
	public void startNode(int node) {
		Node n = this.nodes.get(node);
		n.start();
		n.awaitReady();
	}

	@Override
	public boolean isNodeRunning(int node) {
		return this.nodes.get(node).isAlive();
	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			node.stop();
		}
		if (this.lookupd != null) {
			this.lookupd.stop();
		}
		if (this.authServer != null) {
			this.authServer.close();
		}
		deleteRecursively(this.root);
	}

	@Override
	public String toString() {
		return "ProcessNsqCluster[nsqd=" + nsqdTcpAddresses()
				+ (hasLookupd() ? ", lookupd=" + lookupdHttpAddress() : "") + "]";
	}

	// ---------------------------------------------------------------- helpers

	private final class Node {

		final String name;

		final int tcpPort;

		final int httpPort;

		final List<String> command;

		final Path log;

		Process process;

		Node(String name, int tcpPort, int httpPort, List<String> command) {
			this.name = name;
			this.tcpPort = tcpPort;
			this.httpPort = httpPort;
			this.command = command;
			this.log = ProcessNsqCluster.this.root.resolve(name + ".log");
		}

		void start() {
			if (isAlive()) {
				return;
			}
			try {
				this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
					.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot start " + this.command.get(0), ex);
			}
		}

		boolean isAlive() {
			return this.process != null && this.process.isAlive();
		}

		void awaitReady() {
			long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited: " + logTail());
				}
				// with --tls-required the plain HTTP port answers 403, which still means
				// "up"
				if (httpStatus(this.httpPort, "/ping") > 0 && canConnect(this.tcpPort)) {
					return;
				}
				pause(10);
			}
			throw new IllegalStateException(this.name + " did not start in " + STARTUP_TIMEOUT + ": " + logTail());
		}

		void kill() {
			Process p = this.process;
			if (p == null) {
				return;
			}
			p.destroyForcibly();
			try {
				p.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void stop() {
			Process p = this.process;
			if (p == null) {
				return;
			}
			p.destroy();
			try {
				if (!p.waitFor(10, TimeUnit.SECONDS)) {
					p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				p.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}

		private String logTail() {
			try {
				String text = Files.readString(this.log, StandardCharsets.UTF_8);
				return text.substring(Math.max(0, text.length() - 2000));
			}
			catch (IOException ex) {
				return "(no output)";
			}
		}

	}

	private static String httpGet(int port, String path) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(500);
			connection.setReadTimeout(2000);
			try {
				if (connection.getResponseCode() != 200) {
					return null;
				}
				return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static int httpStatus(int port, String path) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(500);
			connection.setReadTimeout(2000);
			try {
				return connection.getResponseCode();
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static boolean canConnect(int port) {
		try (java.net.Socket socket = new java.net.Socket()) {
			socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** A port that was free a moment ago (the process binds it right after). */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for NSQ processes", ex);
		}
	}

	private static void deleteRecursively(Path path) {
		if (path == null || !Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			walk.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: it is a temp directory
		}
	}

}
