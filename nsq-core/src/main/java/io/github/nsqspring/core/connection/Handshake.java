package io.github.nsqspring.core.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.core.json.JsonParseException;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.FrameReader;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * The steps before a {@link NsqConnection} is usable, and what they produced: dial, magic
 * and IDENTIFY, the upgrades nsqd negotiated (TLS, then deflate or snappy) and AUTH.
 */
final class Handshake {

	private static final int BUFFER_SIZE = 64 * 1024;

	NsqAddress address;

	Socket socket;

	IdentifyResponse identify;

	AuthResponse auth;

	/** The socket's input under any decompression: what read_timeout watches. */
	WatchedInput input;

	FrameReader reader;

	OutputBuffer out;

	private Deadlines deadlines;

	/**
	 * Connect and negotiate. The socket gets no timeout (see {@link ConnectionWatchdog}):
	 * the watchdog closes it when the connect takes longer than {@code dial_timeout} or a
	 * read of the handshake (the TLS handshake counting as one) waits longer than
	 * {@code read_timeout}.
	 * @param address the nsqd TCP address
	 * @param config the connection settings
	 * @param msgTimeout the {@code msg_timeout} to ask for, zero for nsqd's default
	 * @param maxMsgSize {@code max_msg_size}: the largest message accepted from nsqd, 0
	 * for the frame reader's own limit
	 * @return what the handshake produced
	 */
	static Handshake perform(NsqAddress address, NsqConnectionConfig config, Duration msgTimeout, int maxMsgSize) {
		Handshake handshake = new Handshake();
		handshake.address = address;
		String source = "nsqd " + address;
		Socket socket = new Socket();
		handshake.socket = socket;
		Deadlines deadlines = new Deadlines(socket, config);
		handshake.deadlines = deadlines;
		ConnectionWatchdog.watch(deadlines);
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			if (config.getLocalAddress() != null) {
				socket.bind(config.getLocalAddress());
			}
			deadlines.begin(config.getDialTimeout(), "dial_timeout");
			socket.connect(new InetSocketAddress(address.host(), address.port()));
			deadlines.end();
			handshake.negotiate(config, msgTimeout, maxMsgSize, source);
			return handshake;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(socket);
			String overrun = deadlines.overrun;
			if (overrun != null) {
				throw new NsqTimeoutException(
						"timed out connecting to " + source + " (" + overrun + " " + deadlines.timeout + ")", ex);
			}
			if (ex instanceof SSLException) {
				throw new NsqConnectionException("TLS handshake with " + source + " failed: " + ex.getMessage(), ex);
			}
			if (ex instanceof IOException) {
				throw new NsqConnectionException("cannot connect to " + source + ": " + ex, ex);
			}
			throw (RuntimeException) ex;
		}
		finally {
			ConnectionWatchdog.unwatch(deadlines);
		}
	}

	private void negotiate(NsqConnectionConfig config, Duration msgTimeout, int maxMsgSize, String source)
			throws IOException {
		WatchedInput in = new WatchedInput(this.socket.getInputStream());
		this.deadlines.input = in;
		OutputStream rawOut = this.socket.getOutputStream();
		ByteArrayOutputStream hello = new ByteArrayOutputStream(512);
		hello.write(NsqCommand.MAGIC_V2);
		NsqCommand.identify(identifyBody(config, msgTimeout)).writeTo(hello);
		rawOut.write(hello.toByteArray());
		rawOut.flush();
		this.identify = readIdentify(FrameReader.readExactly(in, source), source);
		if (config.isTlsV1() && !this.identify.tlsV1()) {
			throw new NsqConnectionException(source + " did not negotiate TLS although tls_v1 is enabled "
					+ "(does nsqd have --tls-cert and --tls-key?); refusing to continue in plain text");
		}
		OutputStream out = rawOut;
		if (this.identify.tlsV1()) {
			// the TLS handshake reads the socket itself: it counts as one read
			this.deadlines.begin(config.getReadTimeout(), "read_timeout");
			SSLSocket ssl = TlsUpgrade.upgrade(this.socket, this.address, config.getTlsConfig());
			this.deadlines.end();
			in = new WatchedInput(ssl.getInputStream());
			this.deadlines.input = in;
			out = ssl.getOutputStream();
			expectOk(in, source, "TLS");
		}
		this.input = in;
		InputStream frames = in;
		if (this.identify.deflate()) {
			int level = (this.identify.deflateLevel() > 0) ? this.identify.deflateLevel() : config.getDeflateLevel();
			frames = Compression.deflateInput(in);
			out = Compression.deflateOutput(out, level);
			expectOk(frames, source, "deflate");
		}
		else if (this.identify.snappy()) {
			frames = Compression.snappyInput(in);
			out = Compression.snappyOutput(out);
			expectOk(frames, source, "snappy");
		}
		this.reader = new FrameReader(frames, source, maxMsgSize, BUFFER_SIZE);
		this.out = new OutputBuffer(out, BUFFER_SIZE);
		if (this.identify.authRequired()) {
			authenticate(config, source);
		}
	}

	private void authenticate(NsqConnectionConfig config, String source) throws IOException {
		String secret = config.getAuthSecret();
		if (secret == null || secret.isEmpty()) {
			throw NsqAuthException.secretRequired(this.address.toString());
		}
		NsqCommand.auth(secret.getBytes(StandardCharsets.UTF_8)).writeTo(this.out);
		this.out.flush();
		Frame frame = this.reader.read();
		if (frame instanceof Frame.Error error) {
			NsqProtocolException rejected = NsqProtocolException.fromErrorFrame(error.text());
			if (rejected instanceof NsqAuthException) {
				throw rejected;
			}
			throw new NsqAuthException(rejected.code(), error.text());
		}
		if (!(frame instanceof Frame.Response response)) {
			throw new NsqConnectionException("unexpected " + frame + " from " + source + " in answer to AUTH");
		}
		try {
			this.auth = AuthResponse.parse(response.text());
		}
		catch (JsonParseException ex) {
			throw new NsqConnectionException(
					"invalid AUTH answer from " + source + ": " + ex.getMessage() + ": " + response.text(), ex);
		}
	}

	private static IdentifyResponse readIdentify(Frame frame, String source) {
		if (frame instanceof Frame.Error error) {
			throw NsqProtocolException.fromErrorFrame(error.text());
		}
		if (!(frame instanceof Frame.Response response)) {
			throw new NsqConnectionException("unexpected " + frame + " from " + source + " in answer to IDENTIFY");
		}
		if (response.isOk()) {
			return IdentifyResponse.withoutNegotiation();
		}
		try {
			return IdentifyResponse.parse(response.text());
		}
		catch (JsonParseException ex) {
			throw new NsqConnectionException("invalid IDENTIFY answer from " + source + ": " + ex.getMessage() + ": "
					+ abbreviate(response.text()), ex);
		}
	}

	private static void expectOk(InputStream in, String source, String upgrade) throws IOException {
		Frame frame = FrameReader.readExactly(in, source);
		if (frame instanceof Frame.Error error) {
			throw NsqProtocolException.fromErrorFrame(error.text());
		}
		if (!(frame instanceof Frame.Response response) || !response.isOk()) {
			throw new NsqConnectionException(
					"invalid response from " + source + " after the " + upgrade + " upgrade: " + frame);
		}
	}

	static byte[] identifyBody(NsqConnectionConfig config, Duration msgTimeout) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("client_id", config.getClientId());
		body.put("hostname", config.getHostname());
		body.put("user_agent", config.getUserAgent());
		body.put("feature_negotiation", true);
		body.put("heartbeat_interval", config.isHeartbeatDisabled() ? -1 : config.getHeartbeatInterval().toMillis());
		body.put("output_buffer_size", config.getOutputBufferSize());
		body.put("output_buffer_timeout",
				config.getOutputBufferTimeout().isNegative() ? -1 : config.getOutputBufferTimeout().toMillis());
		body.put("tls_v1", config.isTlsV1());
		body.put("snappy", config.isSnappy());
		body.put("deflate", config.isDeflate());
		body.put("deflate_level", config.getDeflateLevel());
		body.put("sample_rate", config.getSampleRate());
		body.put("msg_timeout", msgTimeout.toMillis());
		body.put("topology_region", config.getTopologyRegion());
		body.put("topology_zone", config.getTopologyZone());
		return Json.write(body).getBytes(StandardCharsets.UTF_8);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

	/**
	 * The handshake's timeouts, checked by {@link ConnectionWatchdog}: the step under way
	 * ({@code dial_timeout} for the connect, {@code read_timeout} for the TLS handshake)
	 * and the read under way ({@code read_timeout}).
	 */
	private static final class Deadlines implements ConnectionWatchdog.Watched {

		private final Socket socket;

		private final long readTimeoutNanos;

		private final Duration readTimeout;

		/** When the step under way started, with the low bit set; 0 when none is. */
		private volatile long stepSinceNanos;

		private volatile long stepTimeoutNanos;

		private volatile String stepName;

		private volatile Duration stepTimeout;

		volatile WatchedInput input;

		/** The option whose timeout closed the socket, or {@code null}. */
		volatile String overrun;

		/** That option's value. */
		volatile Duration timeout;

		Deadlines(Socket socket, NsqConnectionConfig config) {
			this.socket = socket;
			this.readTimeout = config.getReadTimeout();
			this.readTimeoutNanos = this.readTimeout.toNanos();
		}

		void begin(Duration timeout, String name) {
			this.stepName = name;
			this.stepTimeout = timeout;
			this.stepTimeoutNanos = timeout.toNanos();
			this.stepSinceNanos = System.nanoTime() | 1;
		}

		void end() {
			this.stepSinceNanos = 0;
		}

		@Override
		public void checkTimeouts(long now) {
			if (this.overrun != null) {
				return;
			}
			long since = this.stepSinceNanos;
			WatchedInput in = this.input;
			if (since != 0 && now - since > this.stepTimeoutNanos) {
				expire(this.stepName, this.stepTimeout);
			}
			else if (in != null && in.overran(now, this.readTimeoutNanos)) {
				expire("read_timeout", this.readTimeout);
			}
		}

		private void expire(String option, Duration value) {
			this.timeout = value;
			this.overrun = option;
			closeQuietly(this.socket);
		}

	}

}
