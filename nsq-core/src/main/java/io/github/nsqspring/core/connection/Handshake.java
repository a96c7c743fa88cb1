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
	volatile WatchedInput input;

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
		Deadlines deadlines = handshake.new Deadlines(config);
		handshake.deadlines = deadlines;
		ConnectionWatchdog.watch(deadlines);
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			if (config.getLocalAddress() != null) {
				socket.bind(config.getLocalAddress());
			}
			deadlines.begin(new Timeout("dial_timeout", config.getDialTimeout()));
			socket.connect(new InetSocketAddress(address.host(), address.port()));
			deadlines.end();
			handshake.negotiate(config, msgTimeout, maxMsgSize, source);
			return handshake;
		}
		catch (SSLException ex) {
			throw handshake.failure(ex,
					new NsqConnectionException("TLS handshake with " + source + " failed: " + ex.getMessage(), ex));
		}
		catch (IOException ex) {
			throw handshake.failure(ex, new NsqConnectionException("cannot connect to " + source + ": " + ex, ex));
		}
		catch (RuntimeException ex) {
			throw handshake.failure(ex, ex);
		}
		finally {
			ConnectionWatchdog.unwatch(deadlines);
		}
	}

	/**
	 * Close the socket after a failed step: the timeout that ended it, when the watchdog
	 * closed the socket, else the step's own failure.
	 */
	private RuntimeException failure(Exception ex, RuntimeException otherwise) {
		closeQuietly(this.socket);
		Timeout expired = this.deadlines.expired;
		if (expired != null) {
			return new NsqTimeoutException("timed out connecting to nsqd " + this.address + " (" + expired + ")", ex);
		}
		return otherwise;
	}

	private void negotiate(NsqConnectionConfig config, Duration msgTimeout, int maxMsgSize, String source)
			throws IOException {
		WatchedInput in = new WatchedInput(this.socket.getInputStream());
		this.input = in;
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
			this.deadlines.begin(this.deadlines.read);
			SSLSocket ssl = TlsUpgrade.upgrade(this.socket, this.address, config.getTlsConfig());
			this.deadlines.end();
			in = new WatchedInput(ssl.getInputStream());
			this.input = in;
			out = ssl.getOutputStream();
			expectOk(in, source, "TLS");
		}
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
	 * An option whose timeout bounds a step of the handshake.
	 *
	 * @param option its name
	 * @param value its value
	 */
	private record Timeout(String option, Duration value) {

		@Override
		public String toString() {
			return this.option + " " + this.value;
		}

	}

	/**
	 * The handshake's timeouts, checked by {@link ConnectionWatchdog}: the step under way
	 * ({@code dial_timeout} for the connect, {@code read_timeout} for the TLS handshake)
	 * and the read under way ({@code read_timeout}).
	 */
	private final class Deadlines implements ConnectionWatchdog.Watched {

		final Timeout read;

		private final BlockingCall step = new BlockingCall();

		private volatile Timeout stepTimeout;

		/** The timeout that closed the socket, or {@code null}. */
		volatile Timeout expired;

		Deadlines(NsqConnectionConfig config) {
			this.read = new Timeout("read_timeout", config.getReadTimeout());
		}

		void begin(Timeout timeout) {
			this.stepTimeout = timeout;
			this.step.begin();
		}

		void end() {
			this.step.end();
		}

		@Override
		public void checkTimeouts(long now) {
			if (this.expired != null) {
				return;
			}
			Timeout stepTimeout = this.stepTimeout;
			WatchedInput in = Handshake.this.input;
			if (stepTimeout != null && this.step.overran(now, stepTimeout.value().toNanos())) {
				expire(stepTimeout);
			}
			else if (in != null && in.overran(now, this.read.value().toNanos())) {
				expire(this.read);
			}
		}

		private void expire(Timeout timeout) {
			this.expired = timeout;
			closeQuietly(Handshake.this.socket);
		}

	}

}
