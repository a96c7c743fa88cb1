package io.github.nsqspring.core.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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

	FrameReader reader;

	OutputBuffer out;

	/**
	 * Connect and negotiate.
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
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			if (config.getLocalAddress() != null) {
				socket.bind(config.getLocalAddress());
			}
			socket.connect(new InetSocketAddress(address.host(), address.port()), millis(config.getDialTimeout()));
			socket.setSoTimeout(millis(config.getReadTimeout()));
			handshake.negotiate(config, msgTimeout, maxMsgSize, source);
			return handshake;
		}
		catch (SocketTimeoutException ex) {
			closeQuietly(socket);
			throw new NsqTimeoutException("timed out connecting to " + source + " (dial_timeout "
					+ config.getDialTimeout() + ", read_timeout " + config.getReadTimeout() + ")", ex);
		}
		catch (SSLException ex) {
			closeQuietly(socket);
			throw new NsqConnectionException("TLS handshake with " + source + " failed: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new NsqConnectionException("cannot connect to " + source + ": " + ex, ex);
		}
		catch (RuntimeException ex) {
			closeQuietly(socket);
			throw ex;
		}
	}

	private void negotiate(NsqConnectionConfig config, Duration msgTimeout, int maxMsgSize, String source)
			throws IOException {
		InputStream in = this.socket.getInputStream();
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
			SSLSocket ssl = TlsUpgrade.upgrade(this.socket, this.address, config.getTlsConfig());
			in = ssl.getInputStream();
			out = ssl.getOutputStream();
			expectOk(in, source, "TLS");
		}
		if (this.identify.deflate()) {
			int level = (this.identify.deflateLevel() > 0) ? this.identify.deflateLevel() : config.getDeflateLevel();
			in = Compression.deflateInput(in);
			out = Compression.deflateOutput(out, level);
			expectOk(in, source, "deflate");
		}
		else if (this.identify.snappy()) {
			in = Compression.snappyInput(in);
			out = Compression.snappyOutput(out);
			expectOk(in, source, "snappy");
		}
		this.reader = new FrameReader(in, source, maxMsgSize, BUFFER_SIZE);
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

	private static int millis(Duration duration) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

}
