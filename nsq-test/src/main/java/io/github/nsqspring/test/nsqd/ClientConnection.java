package io.github.nsqspring.test.nsqd;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLSocket;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.json.JsonParseException;
import io.github.nsqspring.core.protocol.NsqNames;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.AuthRequest;
import io.github.nsqspring.test.auth.AuthResponse;
import io.github.nsqspring.test.support.Threads;

/**
 * One protocol V2 connection: a reader thread that runs commands in order and a writer
 * thread that drains a queue of frames and flushes only when the queue is empty, so
 * bursts of messages go out in few system calls.
 */
final class ClientConnection {

	static final int STATE_INIT = 0;

	static final int STATE_SUBSCRIBED = 3;

	static final int STATE_CLOSING = 4;

	private static final byte[] MAGIC_V2 = { ' ', ' ', 'V', '2' };

	private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] HEARTBEAT = frame(0, "_heartbeat_".getBytes(StandardCharsets.US_ASCII));

	/** nsqd reads commands through a 16 KiB buffer; a longer line ends the connection. */
	private static final int MAX_LINE = 16 * 1024;

	private static final Object CLOSE = new Object();

	private static final AtomicLong IDS = new AtomicLong();

	private final EmbeddedNsqd nsqd;

	private final NsqdOptions options;

	private final long id = IDS.incrementAndGet();

	private final LinkedBlockingQueue<Object> outbound = new LinkedBlockingQueue<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicBoolean cleanedUp = new AtomicBoolean();

	private final String remoteAddress;

	private final long connectTs = System.currentTimeMillis() / 1000;

	private final Map<String, AtomicLong> pubCounts = new ConcurrentHashMap<>();

	private volatile Socket socket;

	private InputStream rawIn;

	private OutputStream out;

	private CommandInput in;

	private Thread readerThread;

	private Thread writerThread;

	volatile int state = STATE_INIT;

	volatile long readyCount;

	/** Guarded by the subscribed channel's lock; volatile for stats. */
	volatile int inFlightCount;

	volatile long messageCount;

	volatile long finishCount;

	volatile long requeueCount;

	volatile int sampleRate;

	volatile long msgTimeoutNanos;

	private volatile long heartbeatNanos;

	private volatile long nextHeartbeatNanos;

	private volatile Channel channel;

	private volatile String clientId;

	private volatile String hostname;

	private volatile String userAgent = "";

	private volatile int outputBufferSize = 16384;

	private volatile long outputBufferTimeoutMs;

	private volatile boolean tls;

	private volatile String tlsVersion = "";

	private volatile String tlsCipher = "";

	private volatile boolean snappy;

	private volatile boolean deflate;

	private volatile AuthResponse auth;

	private volatile String authSecret;

	private volatile long authExpiresNanos;

	ClientConnection(EmbeddedNsqd nsqd, Socket socket) {
		this.nsqd = nsqd;
		this.options = nsqd.options();
		this.socket = socket;
		InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
		this.remoteAddress = remote.getAddress().getHostAddress() + ":" + remote.getPort();
		this.clientId = remote.getAddress().getHostAddress();
		this.hostname = this.clientId;
		this.msgTimeoutNanos = this.options.msgTimeout().toNanos();
		this.heartbeatNanos = 30_000_000_000L;
		this.nextHeartbeatNanos = System.nanoTime() + this.heartbeatNanos;
		this.outputBufferTimeoutMs = this.options.outputBufferTimeout().toMillis();
	}

	void start() {
		String name = "nsqd-" + this.nsqd.tcpPort() + "-client-" + this.id;
		this.writerThread = Threads.start(name + "-writer", this::writeLoop);
		this.readerThread = Threads.start(name + "-reader", this::readLoop);
	}

	long id() {
		return this.id;
	}

	boolean isReadyForMessages() {
		if (this.state != STATE_SUBSCRIBED || this.closed.get()) {
			return false;
		}
		long ready = this.readyCount;
		return ready > 0 && this.inFlightCount < ready;
	}

	/** Queue a complete frame for the writer thread. */
	void send(byte[] frame) {
		if (!this.closed.get()) {
			this.outbound.add(frame);
		}
	}

	/** Close the socket now (server stop, channel delete, fault injection). */
	void close() {
		if (this.closed.compareAndSet(false, true)) {
			closeSocket();
			this.outbound.add(CLOSE);
		}
	}

	boolean isClosed() {
		return this.closed.get();
	}

	void joinThreads(long millis) {
		Threads.join(this.readerThread, millis);
		Threads.join(this.writerThread, millis);
	}

	void heartbeatIfDue(long now) {
		long interval = this.heartbeatNanos;
		if (interval > 0 && now - this.nextHeartbeatNanos >= 0) {
			this.nextHeartbeatNanos = now + interval;
			send(HEARTBEAT);
		}
	}

	Channel channel() {
		return this.channel;
	}

	boolean hasPublished() {
		return !this.pubCounts.isEmpty();
	}

	// ---------------------------------------------------------------- reader

	private void readLoop() {
		boolean flushBeforeClose = false;
		try {
			this.rawIn = this.socket.getInputStream();
			this.in = new CommandInput(this.rawIn);
			this.nsqd.awaitNotFrozen();
			byte[] magic = this.in.readExactly(4);
			if (!java.util.Arrays.equals(magic, MAGIC_V2)) {
				sendError("E_BAD_PROTOCOL");
				flushBeforeClose = true;
				return;
			}
			while (!this.closed.get()) {
				long hb = this.heartbeatNanos;
				this.socket.setSoTimeout((hb > 0) ? (int) Math.min(Integer.MAX_VALUE, hb * 2 / 1_000_000) : 0);
				byte[] line = this.in.readLine();
				if (line == null) {
					return;
				}
				this.nsqd.awaitNotFrozen();
				if (this.closed.get()) {
					return;
				}
				try {
					byte[] response = exec(split(line));
					if (response != null) {
						send(frame(0, response));
					}
				}
				catch (ClientError error) {
					sendError(error.getMessage());
					if (error.fatal) {
						flushBeforeClose = true;
						return;
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// read deadline, EOF mid-command or a closed socket: nsqd just closes
		}
		finally {
			if (flushBeforeClose && this.closed.compareAndSet(false, true)) {
				// the writer sends what is queued (the error frame), then closes the
				// socket
				this.outbound.add(CLOSE);
			}
			else {
				close();
			}
			cleanup();
		}
	}

	private void cleanup() {
		if (this.cleanedUp.compareAndSet(false, true)) {
			Channel subscribed = this.channel;
			if (subscribed != null) {
				subscribed.removeClient(this);
			}
			this.nsqd.removeClient(this);
		}
	}

	private static List<byte[]> split(byte[] line) {
		List<byte[]> params = new ArrayList<>(4);
		int start = 0;
		for (int i = 0; i <= line.length; i++) {
			if (i == line.length || line[i] == ' ') {
				params.add(java.util.Arrays.copyOfRange(line, start, i));
				start = i + 1;
			}
		}
		return params;
	}

	private byte[] exec(List<byte[]> params) throws IOException {
		String command = ascii(params.get(0));
		if (command.equals("IDENTIFY")) {
			return identify();
		}
		if (this.options.tlsRequired() && !this.tls) {
			throw fatal("E_INVALID", "cannot " + command + " in current state (TLS required)");
		}
		switch (command) {
			case "FIN":
				return fin(params);
			case "RDY":
				return rdy(params);
			case "REQ":
				return req(params);
			case "PUB":
				return pub(params);
			case "MPUB":
				return mpub(params);
			case "DPUB":
				return dpub(params);
			case "NOP":
				return null;
			case "TOUCH":
				return touch(params);
			case "SUB":
				return sub(params);
			case "CLS":
				return cls();
			case "AUTH":
				return auth(params);
			default:
				throw fatal("E_INVALID", "invalid command " + command);
		}
	}

	// ---------------------------------------------------------------- IDENTIFY

	private byte[] identify() throws IOException {
		if (this.state != STATE_INIT) {
			throw fatal("E_INVALID", "cannot IDENTIFY in current state");
		}
		int bodyLen = readLen("E_BAD_BODY", "IDENTIFY failed to read body size");
		if (bodyLen > this.options.maxBodySize()) {
			throw fatal("E_BAD_BODY", "IDENTIFY body too big " + bodyLen + " > " + this.options.maxBodySize());
		}
		if (bodyLen <= 0) {
			throw fatal("E_BAD_BODY", "IDENTIFY invalid body size " + bodyLen);
		}
		byte[] body = readBody(bodyLen, "E_BAD_BODY", "IDENTIFY failed to read body");
		Identify data;
		try {
			data = new Identify(Json.parseObject(body));
		}
		catch (JsonParseException | ClassCastException | IllegalArgumentException ex) {
			throw fatal("E_BAD_BODY", "IDENTIFY failed to decode JSON body");
		}
		this.clientId = data.string("client_id");
		this.hostname = data.string("hostname");
		this.userAgent = data.string("user_agent");

		long heartbeat = data.integer("heartbeat_interval");
		if (heartbeat == -1) {
			this.heartbeatNanos = 0;
		}
		else if (heartbeat != 0) {
			if (heartbeat < 1000 || heartbeat > this.options.maxHeartbeatInterval().toMillis()) {
				throw fatal("E_BAD_BODY", "IDENTIFY heartbeat interval (" + heartbeat + ") is invalid");
			}
			this.heartbeatNanos = heartbeat * 1_000_000L;
		}
		this.nextHeartbeatNanos = System.nanoTime() + this.heartbeatNanos;

		long bufferTimeout = data.integer("output_buffer_timeout");
		long bufferSize = data.integer("output_buffer_size");
		if (bufferTimeout == -1) {
			this.outputBufferTimeoutMs = 0;
		}
		else if (bufferTimeout != 0) {
			if (bufferTimeout < this.options.minOutputBufferTimeout().toMillis()
					|| bufferTimeout > this.options.maxOutputBufferTimeout().toMillis()) {
				throw fatal("E_BAD_BODY", "IDENTIFY output buffer timeout (" + bufferTimeout + ") is invalid");
			}
			this.outputBufferTimeoutMs = bufferTimeout;
		}
		if (bufferSize == -1) {
			this.outputBufferSize = 1;
			this.outputBufferTimeoutMs = 0;
		}
		else if (bufferSize != 0) {
			if (bufferSize < 64 || bufferSize > this.options.maxOutputBufferSize()) {
				throw fatal("E_BAD_BODY", "IDENTIFY output buffer size (" + bufferSize + ") is invalid");
			}
			this.outputBufferSize = (int) bufferSize;
		}

		long rate = data.integer("sample_rate");
		if (rate < 0 || rate > 99) {
			throw fatal("E_BAD_BODY", "IDENTIFY sample rate (" + rate + ") is invalid");
		}
		this.sampleRate = (int) rate;

		long msgTimeout = data.integer("msg_timeout");
		if (msgTimeout != 0) {
			if (msgTimeout < 1000 || msgTimeout > this.options.maxMsgTimeout().toMillis()) {
				throw fatal("E_BAD_BODY", "IDENTIFY msg timeout (" + msgTimeout + ") is invalid");
			}
			this.msgTimeoutNanos = msgTimeout * 1_000_000L;
		}

		if (!data.bool("feature_negotiation")) {
			return OK;
		}
		boolean tlsV1 = this.nsqd.sslContext() != null && data.bool("tls_v1");
		boolean deflateOn = this.options.deflate() && data.bool("deflate");
		int deflateLevel = 6;
		long requestedLevel = data.integer("deflate_level");
		if (deflateOn && requestedLevel > 0) {
			deflateLevel = (int) requestedLevel;
		}
		deflateLevel = Math.min(deflateLevel, this.options.maxDeflateLevel());
		boolean snappyOn = this.options.snappy() && EmbeddedNsqd.SNAPPY_AVAILABLE && data.bool("snappy");
		if (deflateOn && snappyOn) {
			throw fatal("E_IDENTIFY_FAILED", "cannot enable both deflate and snappy compression");
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("max_rdy_count", this.options.maxRdyCount());
		response.put("version", EmbeddedNsqd.VERSION);
		response.put("max_msg_timeout", this.options.maxMsgTimeout().toMillis());
		response.put("msg_timeout", this.msgTimeoutNanos / 1_000_000L);
		response.put("tls_v1", tlsV1);
		response.put("deflate", deflateOn);
		response.put("deflate_level", deflateLevel);
		response.put("max_deflate_level", this.options.maxDeflateLevel());
		response.put("snappy", snappyOn);
		response.put("sample_rate", this.sampleRate);
		response.put("auth_required", this.options.authorizer() != null);
		response.put("output_buffer_size", this.outputBufferSize);
		response.put("output_buffer_timeout", this.outputBufferTimeoutMs);
		send(frame(0, Json.write(response).getBytes(StandardCharsets.UTF_8)));
		if (tlsV1) {
			upgrade(this::upgradeTls);
		}
		if (snappyOn) {
			upgrade(this::upgradeSnappy);
		}
		else if (deflateOn) {
			int level = deflateLevel;
			upgrade(() -> upgradeDeflate(level));
		}
		return null;
	}

	private interface Upgrade {

		void run() throws IOException;

	}

	private static final class UpgradeTask {

		final Upgrade upgrade;

		final CompletableFuture<Void> done = new CompletableFuture<>();

		UpgradeTask(Upgrade upgrade) {
			this.upgrade = upgrade;
		}

	}

	/**
	 * Run an upgrade on the writer thread once everything queued before it is flushed;
	 * this reader thread waits, so nothing reads the socket meanwhile.
	 */
	private void upgrade(Upgrade upgrade) throws IOException {
		UpgradeTask task = new UpgradeTask(upgrade);
		this.outbound.add(task);
		try {
			task.done.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw fatal("E_IDENTIFY_FAILED", "IDENTIFY failed " + ex.getCause().getMessage());
		}
		// nsqd drops its buffered reader at each upgrade; the client must not pipeline
		this.in = new CommandInput(this.rawIn);
	}

	private void upgradeTls() throws IOException {
		SSLSocket ssl = (SSLSocket) this.nsqd.sslContext()
			.getSocketFactory()
			.createSocket(this.socket, this.socket.getInetAddress().getHostAddress(), this.socket.getPort(), true);
		ssl.setUseClientMode(false);
		ssl.setSoTimeout(5000);
		ssl.startHandshake();
		this.socket = ssl;
		this.tls = true;
		this.tlsVersion = ssl.getSession().getProtocol();
		this.tlsCipher = ssl.getSession().getCipherSuite();
		this.rawIn = ssl.getInputStream();
		this.out = new BufferedOutputStream(ssl.getOutputStream(), 65536);
		this.out.write(frame(0, OK));
		this.out.flush();
	}

	private void upgradeSnappy() throws IOException {
		this.rawIn = SnappyStreams.input(this.rawIn);
		this.out = SnappyStreams.output(this.out);
		this.snappy = true;
		this.out.write(frame(0, OK));
		this.out.flush();
	}

	private void upgradeDeflate(int level) throws IOException {
		this.rawIn = new InflaterInputStream(this.rawIn, new Inflater(true), 16384);
		this.out = new DeflaterOutputStream(this.out, new Deflater(level, true), 16384, true);
		this.deflate = true;
		this.out.write(frame(0, OK));
		this.out.flush();
	}

	// ---------------------------------------------------------------- AUTH

	private byte[] auth(List<byte[]> params) throws IOException {
		if (this.state != STATE_INIT) {
			throw fatal("E_INVALID", "cannot AUTH in current state");
		}
		if (params.size() != 1) {
			throw fatal("E_INVALID", "AUTH invalid number of parameters");
		}
		int bodyLen = readLen("E_BAD_BODY", "AUTH failed to read body size");
		if (bodyLen > this.options.maxBodySize()) {
			throw fatal("E_BAD_BODY", "AUTH body too big " + bodyLen + " > " + this.options.maxBodySize());
		}
		if (bodyLen <= 0) {
			throw fatal("E_BAD_BODY", "AUTH invalid body size " + bodyLen);
		}
		byte[] body = readBody(bodyLen, "E_BAD_BODY", "AUTH failed to read body");
		if (hasAuthorizations()) {
			throw fatal("E_INVALID", "AUTH already set");
		}
		if (this.options.authorizer() == null) {
			throw fatal("E_AUTH_DISABLED", "AUTH disabled");
		}
		this.authSecret = new String(body, StandardCharsets.UTF_8);
		if (!queryAuthorizer()) {
			throw fatal("E_AUTH_FAILED", "AUTH failed");
		}
		if (!hasAuthorizations()) {
			throw fatal("E_UNAUTHORIZED", "AUTH no authorizations found");
		}
		AuthResponse state = this.auth;
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("identity", state.identity());
		response.put("identity_url", state.identityUrl());
		response.put("permission_count", state.authorizations().size());
		return Json.write(response).getBytes(StandardCharsets.UTF_8);
	}

	private boolean queryAuthorizer() {
		try {
			AuthResponse response = this.options.authorizer()
				.authorize(
						new AuthRequest(this.socket.getInetAddress().getHostAddress(), this.tls, this.authSecret, ""));
			if (response == null || response.ttlSeconds() <= 0) {
				return false;
			}
			for (AuthResponse.Authorization grant : response.authorizations()) {
				Pattern.compile(grant.topic());
				grant.channels().forEach(Pattern::compile);
			}
			this.auth = response;
			this.authExpiresNanos = System.nanoTime() + response.ttlSeconds() * 1_000_000_000L;
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private boolean hasAuthorizations() {
		AuthResponse state = this.auth;
		return state != null && !state.authorizations().isEmpty();
	}

	private void checkAuth(String command, String topic, String channelName) throws ClientError {
		if (this.options.authorizer() == null) {
			return;
		}
		if (!hasAuthorizations()) {
			throw fatal("E_AUTH_FIRST", "AUTH required before " + command);
		}
		if (System.nanoTime() - this.authExpiresNanos > 0 && !queryAuthorizer()) {
			throw fatal("E_AUTH_FAILED", "AUTH failed");
		}
		if (!isAllowed(this.auth, topic, channelName)) {
			throw fatal("E_UNAUTHORIZED",
					"AUTH failed for " + command + " on " + quote(topic) + " " + quote(channelName));
		}
	}

	private static boolean isAllowed(AuthResponse state, String topic, String channelName) {
		for (AuthResponse.Authorization grant : state.authorizations()) {
			String needed = channelName.isEmpty() ? "publish" : "subscribe";
			if (!grant.permissions().contains(needed)) {
				continue;
			}
			if (!Pattern.compile(grant.topic()).matcher(topic).find()) {
				continue;
			}
			for (String channelPattern : grant.channels()) {
				if (Pattern.compile(channelPattern).matcher(channelName).find()) {
					return true;
				}
			}
		}
		return false;
	}

	// ---------------------------------------------------------------- SUB / RDY / FIN /
	// REQ / TOUCH / CLS

	private byte[] sub(List<byte[]> params) throws IOException {
		if (this.state != STATE_INIT) {
			throw fatal("E_INVALID", "cannot SUB in current state");
		}
		if (this.heartbeatNanos <= 0) {
			throw fatal("E_INVALID", "cannot SUB with heartbeats disabled");
		}
		if (params.size() < 3) {
			throw fatal("E_INVALID", "SUB insufficient number of parameters");
		}
		String topicName = ascii(params.get(1));
		if (!NsqNames.isValid(topicName)) {
			throw fatal("E_BAD_TOPIC", "SUB topic name " + quote(topicName) + " is not valid");
		}
		String channelName = ascii(params.get(2));
		if (!NsqNames.isValid(channelName)) {
			throw fatal("E_BAD_CHANNEL", "SUB channel name " + quote(channelName) + " is not valid");
		}
		checkAuth("SUB", topicName, channelName);
		for (int attempt = 0;; attempt++) {
			Topic topic = this.nsqd.getOrCreateTopic(topicName);
			Channel subscribed = (topic != null) ? topic.getOrCreateChannel(channelName) : null;
			String error = (subscribed != null) ? subscribed.addClient(this) : "deleted";
			if (error == null) {
				this.channel = subscribed;
				break;
			}
			if (!error.equals("deleted")) {
				throw fatal("E_SUB_FAILED", "SUB failed " + error);
			}
			if (attempt >= 1) {
				throw fatal("E_SUB_FAILED", "SUB failed to deleted topic/channel");
			}
		}
		this.state = STATE_SUBSCRIBED;
		return OK;
	}

	private byte[] rdy(List<byte[]> params) throws ClientError {
		int current = this.state;
		if (current == STATE_CLOSING) {
			return null;
		}
		if (current != STATE_SUBSCRIBED) {
			throw fatal("E_INVALID", "cannot RDY in current state");
		}
		long count = 1;
		if (params.size() > 1) {
			count = parseBase10(params.get(1));
			if (count < 0) {
				throw fatal("E_INVALID", "RDY could not parse count " + ascii(params.get(1)));
			}
		}
		if (count > this.options.maxRdyCount()) {
			throw fatal("E_INVALID", "RDY count " + count + " out of range 0-" + this.options.maxRdyCount());
		}
		this.readyCount = count;
		this.channel.dispatch();
		return null;
	}

	private long messageId(List<byte[]> params, String command) throws ClientError {
		int current = this.state;
		if (current != STATE_SUBSCRIBED && current != STATE_CLOSING) {
			throw fatal("E_INVALID", "cannot " + command + " in current state");
		}
		if (params.size() < ((command.equals("REQ")) ? 3 : 2)) {
			throw fatal("E_INVALID", command + " insufficient number of params");
		}
		byte[] raw = params.get(1);
		if (raw.length != 16) {
			throw fatal("E_INVALID", "invalid message ID");
		}
		return MessageIds.parse(raw);
	}

	private byte[] fin(List<byte[]> params) throws ClientError {
		long messageId = messageId(params, "FIN");
		String error = this.channel.finish(this, messageId);
		if (error != null) {
			throw nonFatal("E_FIN_FAILED", "FIN " + ascii(params.get(1)) + " failed " + error);
		}
		return null;
	}

	private byte[] req(List<byte[]> params) throws ClientError {
		long messageId = messageId(params, "REQ");
		long timeoutMs = parseBase10(params.get(2));
		if (timeoutMs < 0) {
			throw fatal("E_INVALID", "REQ could not parse timeout " + ascii(params.get(2)));
		}
		long delayNanos = Math.min(timeoutMs, this.options.maxReqTimeout().toMillis()) * 1_000_000L;
		String error = this.channel.requeue(this, messageId, delayNanos);
		if (error != null) {
			throw nonFatal("E_REQ_FAILED", "REQ " + ascii(params.get(1)) + " failed " + error);
		}
		return null;
	}

	private byte[] touch(List<byte[]> params) throws ClientError {
		long messageId = messageId(params, "TOUCH");
		String error = this.channel.touch(this, messageId);
		if (error != null) {
			throw nonFatal("E_TOUCH_FAILED", "TOUCH " + ascii(params.get(1)) + " failed " + error);
		}
		return null;
	}

	private byte[] cls() throws ClientError {
		if (this.state != STATE_SUBSCRIBED) {
			throw fatal("E_INVALID", "cannot CLS in current state");
		}
		this.readyCount = 0;
		this.state = STATE_CLOSING;
		return "CLOSE_WAIT".getBytes(StandardCharsets.US_ASCII);
	}

	// ---------------------------------------------------------------- PUB / MPUB / DPUB

	private byte[] pub(List<byte[]> params) throws IOException {
		if (params.size() < 2) {
			throw fatal("E_INVALID", "PUB insufficient number of parameters");
		}
		String topicName = ascii(params.get(1));
		if (!NsqNames.isValid(topicName)) {
			throw fatal("E_BAD_TOPIC", "PUB topic name " + quote(topicName) + " is not valid");
		}
		byte[] body = readMessage("PUB");
		checkAuth("PUB", topicName, "");
		publish(topicName, List.of(body), 0, "E_PUB_FAILED", "PUB failed exiting");
		return OK;
	}

	private byte[] dpub(List<byte[]> params) throws IOException {
		if (params.size() < 3) {
			throw fatal("E_INVALID", "DPUB insufficient number of parameters");
		}
		String topicName = ascii(params.get(1));
		if (!NsqNames.isValid(topicName)) {
			throw fatal("E_BAD_TOPIC", "DPUB topic name " + quote(topicName) + " is not valid");
		}
		long timeoutMs = parseBase10(params.get(2));
		if (timeoutMs < 0) {
			throw fatal("E_INVALID", "DPUB could not parse timeout " + ascii(params.get(2)));
		}
		long max = this.options.maxReqTimeout().toMillis();
		if (timeoutMs > max) {
			throw fatal("E_INVALID", "DPUB timeout " + timeoutMs + " out of range 0-" + max);
		}
		byte[] body = readMessage("DPUB");
		checkAuth("DPUB", topicName, "");
		publish(topicName, List.of(body), timeoutMs * 1_000_000L, "E_DPUB_FAILED", "DPUB failed exiting");
		return OK;
	}

	private byte[] mpub(List<byte[]> params) throws IOException {
		if (params.size() < 2) {
			throw fatal("E_INVALID", "MPUB insufficient number of parameters");
		}
		String topicName = ascii(params.get(1));
		if (!NsqNames.isValid(topicName)) {
			throw fatal("E_BAD_TOPIC", "E_BAD_TOPIC MPUB topic name " + quote(topicName) + " is not valid");
		}
		checkAuth("MPUB", topicName, "");
		this.nsqd.getOrCreateTopic(topicName);
		int bodyLen = readLen("E_BAD_BODY", "MPUB failed to read body size");
		if (bodyLen <= 0) {
			throw fatal("E_BAD_BODY", "MPUB invalid body size " + bodyLen);
		}
		if (bodyLen > this.options.maxBodySize()) {
			throw fatal("E_BAD_BODY", "MPUB body too big " + bodyLen + " > " + this.options.maxBodySize());
		}
		int count = readLen("E_BAD_BODY", "MPUB failed to read message count");
		long maxMessages = (this.options.maxBodySize() - 4) / 5;
		if (count <= 0 || count > maxMessages) {
			throw fatal("E_BAD_BODY", "MPUB invalid message count " + count);
		}
		List<byte[]> bodies = new ArrayList<>(Math.min(count, 4096));
		for (int i = 0; i < count; i++) {
			int size = readLen("E_BAD_MESSAGE", "MPUB failed to read message(" + i + ") body size");
			if (size <= 0) {
				throw fatal("E_BAD_MESSAGE", "MPUB invalid message(" + i + ") body size " + size);
			}
			if (size > this.options.maxMsgSize()) {
				throw fatal("E_BAD_MESSAGE", "MPUB message too big " + size + " > " + this.options.maxMsgSize());
			}
			bodies.add(readBody(size, "E_BAD_MESSAGE", "MPUB failed to read message body"));
		}
		publish(topicName, bodies, 0, "E_MPUB_FAILED", "MPUB failed exiting");
		return OK;
	}

	private byte[] readMessage(String command) throws IOException {
		int bodyLen = readLen("E_BAD_MESSAGE", command + " failed to read message body size");
		if (bodyLen <= 0) {
			throw fatal("E_BAD_MESSAGE", command + " invalid message body size " + bodyLen);
		}
		if (bodyLen > this.options.maxMsgSize()) {
			throw fatal("E_BAD_MESSAGE", command + " message too big " + bodyLen + " > " + this.options.maxMsgSize());
		}
		return readBody(bodyLen, "E_BAD_MESSAGE", command + " failed to read message body");
	}

	private void publish(String topicName, List<byte[]> bodies, long deferNanos, String code, String text)
			throws ClientError {
		if (!this.nsqd.publish(topicName, bodies, deferNanos)) {
			throw fatal(code, text);
		}
		this.pubCounts.computeIfAbsent(topicName, (t) -> new AtomicLong()).addAndGet(bodies.size());
	}

	// ---------------------------------------------------------------- helpers

	private int readLen(String code, String text) throws ClientError {
		try {
			return this.in.readInt();
		}
		catch (IOException ex) {
			throw fatal(code, text);
		}
	}

	private byte[] readBody(int len, String code, String text) throws ClientError {
		try {
			return this.in.readExactly(len);
		}
		catch (IOException ex) {
			throw fatal(code, text);
		}
	}

	/** nsqd's digits-only parser: empty is 0, anything but 0-9 fails (returned as -1). */
	static long parseBase10(byte[] digits) {
		long n = 0;
		for (byte d : digits) {
			if (d < '0' || d > '9') {
				return -1;
			}
			n = n * 10 + (d - '0');
			if (n < 0) {
				return Long.MAX_VALUE;
			}
		}
		return n;
	}

	/** Go's %q for the printable ASCII names nsqd deals with. */
	static String quote(String s) {
		StringBuilder out = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c == '\n') {
				out.append("\\n");
			}
			else if (c == '\t') {
				out.append("\\t");
			}
			else if (c == '\r') {
				out.append("\\r");
			}
			else if (c < 0x20 || c == 0x7f) {
				out.append(String.format("\\x%02x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString();
	}

	private static String ascii(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	static byte[] frame(int type, byte[] data) {
		byte[] frame = new byte[8 + data.length];
		Message.putInt(frame, 0, 4 + data.length);
		Message.putInt(frame, 4, type);
		System.arraycopy(data, 0, frame, 8, data.length);
		return frame;
	}

	private void sendError(String text) {
		send(frame(1, text.getBytes(StandardCharsets.UTF_8)));
	}

	private static ClientError fatal(String code, String description) {
		return new ClientError(code + " " + description, true);
	}

	private static ClientError nonFatal(String code, String description) {
		return new ClientError(code + " " + description, false);
	}

	// ---------------------------------------------------------------- writer

	private void writeLoop() {
		try {
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 65536);
			while (true) {
				Object item = this.outbound.take();
				this.nsqd.awaitNotFrozen();
				while (item != null) {
					if (item == CLOSE) {
						this.out.flush();
						return;
					}
					if (item instanceof UpgradeTask task) {
						this.out.flush();
						try {
							task.upgrade.run();
							task.done.complete(null);
						}
						catch (IOException | RuntimeException | LinkageError ex) {
							task.done.completeExceptionally(ex);
							return;
						}
					}
					else {
						this.out.write((byte[]) item);
					}
					item = this.outbound.poll();
				}
				this.out.flush();
			}
		}
		catch (IOException ex) {
			// the peer went away; the reader notices through the closed socket
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.closed.set(true);
			closeSocket();
			this.outbound.clear();
		}
	}

	private void closeSocket() {
		Socket s = this.socket;
		try {
			if (!(s instanceof SSLSocket)) {
				s.shutdownOutput();
			}
		}
		catch (IOException ex) {
			// already closed
		}
		try {
			s.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	// ---------------------------------------------------------------- stats

	Map<String, Object> stats() {
		Map<String, Object> stats = new LinkedHashMap<>();
		stats.put("client_id", this.clientId);
		stats.put("hostname", this.hostname);
		stats.put("version", "V2");
		stats.put("remote_address", this.remoteAddress);
		stats.put("state", this.state);
		stats.put("ready_count", this.readyCount);
		stats.put("in_flight_count", (long) this.inFlightCount);
		stats.put("message_count", this.messageCount);
		stats.put("finish_count", this.finishCount);
		stats.put("requeue_count", this.requeueCount);
		stats.put("connect_ts", this.connectTs);
		stats.put("sample_rate", this.sampleRate);
		stats.put("deflate", this.deflate);
		stats.put("snappy", this.snappy);
		stats.put("user_agent", this.userAgent);
		AuthResponse state = this.auth;
		if (state != null) {
			stats.put("authed", true);
			stats.put("auth_identity", state.identity());
			stats.put("auth_identity_url", state.identityUrl());
		}
		if (!this.pubCounts.isEmpty()) {
			List<Object> counts = new ArrayList<>();
			this.pubCounts.forEach((topic, count) -> {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("topic", topic);
				entry.put("count", count.get());
				counts.add(entry);
			});
			stats.put("pub_counts", counts);
		}
		stats.put("tls", this.tls);
		stats.put("tls_cipher_suite", this.tlsCipher);
		stats.put("tls_version", this.tlsVersion);
		stats.put("tls_negotiated_protocol", "");
		stats.put("tls_negotiated_protocol_is_mutual", false);
		return stats;
	}

	// ---------------------------------------------------------------- types

	/** An error answer; fatal ones end the connection after the error frame. */
	static final class ClientError extends IOException {

		final boolean fatal;

		ClientError(String message, boolean fatal) {
			super(message, null);
			this.fatal = fatal;
		}

	}

	/** Typed access to IDENTIFY's JSON; a wrong type fails like Go's decoder. */
	private static final class Identify {

		private final Map<String, Object> data;

		Identify(Map<String, Object> data) {
			this.data = data;
			integer("heartbeat_interval");
			integer("output_buffer_size");
			integer("output_buffer_timeout");
			integer("deflate_level");
			integer("sample_rate");
			integer("msg_timeout");
			string("client_id");
			string("hostname");
			string("user_agent");
			bool("feature_negotiation");
			bool("tls_v1");
			bool("snappy");
			bool("deflate");
		}

		long integer(String key) {
			Object value = this.data.get(key);
			if (value == null) {
				return 0;
			}
			if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
				return l;
			}
			throw new IllegalArgumentException(key);
		}

		String string(String key) {
			Object value = this.data.get(key);
			if (value == null) {
				return "";
			}
			if (value instanceof String s) {
				return s;
			}
			throw new IllegalArgumentException(key);
		}

		boolean bool(String key) {
			Object value = this.data.get(key);
			if (value == null) {
				return false;
			}
			if (value instanceof Boolean b) {
				return b;
			}
			throw new IllegalArgumentException(key);
		}

	}

	/**
	 * Buffered command reader; an upgrade replaces it, dropping unread bytes like nsqd.
	 */
	private static final class CommandInput {

		private final InputStream in;

		private final byte[] buf = new byte[MAX_LINE];

		private int pos;

		private int limit;

		CommandInput(InputStream in) {
			this.in = in;
		}

		private boolean fill() throws IOException {
			if (this.pos > 0 && this.pos == this.limit) {
				this.pos = 0;
				this.limit = 0;
			}
			else if (this.pos > 0) {
				System.arraycopy(this.buf, this.pos, this.buf, 0, this.limit - this.pos);
				this.limit -= this.pos;
				this.pos = 0;
			}
			if (this.limit == this.buf.length) {
				return false;
			}
			int n = this.in.read(this.buf, this.limit, this.buf.length - this.limit);
			if (n < 0) {
				return false;
			}
			this.limit += n;
			return true;
		}

		/** A line without its \n (and one \r), or null at EOF / when too long. */
		byte[] readLine() throws IOException {
			int scanned = this.pos;
			while (true) {
				for (int i = scanned; i < this.limit; i++) {
					if (this.buf[i] == '\n') {
						int end = i;
						if (end > this.pos && this.buf[end - 1] == '\r') {
							end--;
						}
						byte[] line = java.util.Arrays.copyOfRange(this.buf, this.pos, end);
						this.pos = i + 1;
						return line;
					}
				}
				int consumed = this.pos;
				scanned = this.limit - consumed;
				if (!fill()) {
					return null;
				}
			}
		}

		int readInt() throws IOException {
			byte[] b = readExactly(4);
			return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
		}

		byte[] readExactly(int n) throws IOException {
			byte[] out = new byte[n];
			int have = Math.min(n, this.limit - this.pos);
			System.arraycopy(this.buf, this.pos, out, 0, have);
			this.pos += have;
			while (have < n) {
				int r = this.in.read(out, have, n - have);
				if (r < 0) {
					throw new EOFException();
				}
				have += r;
			}
			return out;
		}

	}

	static boolean isSocketClosed(IOException ex) {
		return ex instanceof SocketException;
	}

}
