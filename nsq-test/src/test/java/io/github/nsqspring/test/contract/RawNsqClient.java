package io.github.nsqspring.test.contract;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLSocket;

import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.test.tls.TestCertificates;

/**
 * A byte-level protocol V2 client for contract tests: it writes exactly the bytes it is
 * told to and exposes every frame, so tests can check nsqd's exact answers.
 */
final class RawNsqClient implements Closeable {

	static final int RESPONSE = 0;

	static final int ERROR = 1;

	static final int MESSAGE = 2;

	private final Socket plain;

	private Socket socket;

	private DataInputStream in;

	private OutputStream out;

	private RawNsqClient(Socket socket) throws IOException {
		this.plain = socket;
		this.socket = socket;
		this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
		this.out = new BufferedOutputStream(socket.getOutputStream());
	}

	/** Connect and send the V2 magic. */
	static RawNsqClient connect(String address) throws IOException {
		RawNsqClient client = connectNoMagic(address);
		client.writeRaw("  V2".getBytes(StandardCharsets.US_ASCII));
		return client;
	}

	static RawNsqClient connectNoMagic(String address) throws IOException {
		int colon = address.lastIndexOf(':');
		Socket socket = new Socket();
		socket.connect(
				new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
				5000);
		socket.setSoTimeout(15_000);
		socket.setTcpNoDelay(true);
		return new RawNsqClient(socket);
	}

	void writeRaw(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	void send(String line) throws IOException {
		this.out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		this.out.flush();
	}

	void send(String line, byte[] body) throws IOException {
		this.out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		writeInt(body.length);
		this.out.write(body);
		this.out.flush();
	}

	void sendMpub(String topic, byte[]... bodies) throws IOException {
		int size = 4;
		for (byte[] body : bodies) {
			size += 4 + body.length;
		}
		this.out.write(("MPUB " + topic + "\n").getBytes(StandardCharsets.UTF_8));
		writeInt(size);
		writeInt(bodies.length);
		for (byte[] body : bodies) {
			writeInt(body.length);
			this.out.write(body);
		}
		this.out.flush();
	}

	void writeInt(int v) throws IOException {
		this.out.write(new byte[] { (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v });
	}

	/** IDENTIFY and return the first answer frame. */
	Frame identify(Map<String, Object> body) throws IOException {
		send("IDENTIFY", Json.write(body).getBytes(StandardCharsets.UTF_8));
		return readSkippingHeartbeats();
	}

	Frame read() throws IOException {
		int size = this.in.readInt();
		int type = this.in.readInt();
		byte[] data = new byte[size - 4];
		this.in.readFully(data);
		return new Frame(type, data);
	}

	Frame readSkippingHeartbeats() throws IOException {
		while (true) {
			Frame frame = read();
			if (!frame.isHeartbeat()) {
				return frame;
			}
			send("NOP");
		}
	}

	Msg readMessage() throws IOException {
		Frame frame = readSkippingHeartbeats();
		if (frame.type() != MESSAGE) {
			throw new IOException("expected a message, got " + frame);
		}
		return Msg.decode(frame.data());
	}

	/** Read with a short timeout: null when nothing arrives in time. */
	Frame poll(int millis) throws IOException {
		int old = this.socket.getSoTimeout();
		this.socket.setSoTimeout(millis);
		try {
			return readSkippingHeartbeats();
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		finally {
			this.socket.setSoTimeout(old);
		}
	}

	/**
	 * Whether the server closed the connection (reads EOF or a reset) before anything
	 * else arrives.
	 */
	boolean isClosedByServer() throws IOException {
		try {
			int b = this.in.read();
			return b < 0;
		}
		catch (EOFException | SocketException ex) {
			return true;
		}
	}

	void setReadTimeout(int millis) throws IOException {
		this.socket.setSoTimeout(millis);
	}

	void upgradeTls() throws IOException {
		SSLSocket ssl = (SSLSocket) TestCertificates.clientSslContext()
			.getSocketFactory()
			.createSocket(this.plain, "localhost", this.plain.getPort(), true);
		ssl.setUseClientMode(true);
		ssl.startHandshake();
		this.socket = ssl;
		this.in = new DataInputStream(new BufferedInputStream(ssl.getInputStream()));
		this.out = new BufferedOutputStream(ssl.getOutputStream());
	}

	// the compressed stream may already sit in our read buffer behind the IDENTIFY
	// answer,
	// so compression wraps the buffered stream, not the socket's

	void upgradeSnappy() throws IOException {
		InputStream buffered = this.in;
		this.out = new SnappyFramedOutputStream(this.socket.getOutputStream());
		this.out.flush();
		this.in = new DataInputStream(new SnappyFramedInputStream(buffered));
	}

	void upgradeDeflate(int level) throws IOException {
		InputStream buffered = this.in;
		this.out = new DeflaterOutputStream(this.socket.getOutputStream(), new Deflater(level, true), 4096, true);
		this.in = new DataInputStream(new InflaterInputStream(buffered, new Inflater(true), 4096));
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	record Frame(int type, byte[] data) {

		String text() {
			return new String(this.data, StandardCharsets.UTF_8);
		}

		boolean isHeartbeat() {
			return this.type == RESPONSE && text().equals("_heartbeat_");
		}

		boolean isOk() {
			return this.type == RESPONSE && text().equals("OK");
		}

		Map<String, Object> json() {
			return Json.parseObject(this.data);
		}

		@Override
		public String toString() {
			return "Frame[type=" + this.type + ", " + ((this.type == MESSAGE) ? this.data.length + " bytes" : text())
					+ "]";
		}

	}

	record Msg(long timestamp, int attempts, String id, byte[] body) {

		static Msg decode(byte[] data) {
			long ts = 0;
			for (int i = 0; i < 8; i++) {
				ts = (ts << 8) | (data[i] & 0xff);
			}
			int attempts = ((data[8] & 0xff) << 8) | (data[9] & 0xff);
			String id = new String(data, 10, 16, StandardCharsets.US_ASCII);
			byte[] body = new byte[data.length - 26];
			System.arraycopy(data, 26, body, 0, body.length);
			return new Msg(ts, attempts, id, body);
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
