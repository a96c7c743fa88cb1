package io.github.nsqspring.test.nsqd;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.json.Json;
import io.github.nsqspring.test.support.Threads;

/**
 * nsqd's connection to one nsqlookupd over the TCP " V1" protocol: IDENTIFY, a REGISTER
 * per existing topic/channel, then REGISTER/UNREGISTER as they change and a PING every 15
 * s. Reconnects (and registers everything again) after a failure, so it works with the
 * embedded nsqlookupd and with a real one. Like nsqd, it learns the nsqlookupd's HTTP
 * address from the IDENTIFY answer ({@code broadcast_address:http_port}) to ask it for
 * the channels of a new topic ({@link #channels(String)}).
 */
final class LookupPeer {

	private static final long PING_INTERVAL_MILLIS = 15_000;

	private static final long RETRY_MILLIS = 250;

	private final EmbeddedNsqd nsqd;

	private final String address;

	private final LinkedBlockingQueue<String> commands = new LinkedBlockingQueue<>();

	private volatile boolean running = true;

	private volatile Socket socket;

	private volatile String httpAddress;

	private Thread thread;

	LookupPeer(EmbeddedNsqd nsqd, String address) {
		this.nsqd = nsqd;
		this.address = address;
	}

	void start() {
		this.thread = Threads.start("nsqd-" + this.nsqd.tcpPort() + "-lookup-" + this.address, this::run);
	}

	void command(String command) {
		this.commands.add(command);
	}

	void stop() {
		this.running = false;
		Socket s = this.socket;
		if (s != null) {
			try {
				s.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		if (this.thread != null) {
			this.thread.interrupt();
			Threads.join(this.thread, 5000);
		}
	}

	private void run() {
		while (this.running) {
			try (Socket s = new Socket()) {
				this.socket = s;
				int colon = this.address.lastIndexOf(':');
				s.connect(new InetSocketAddress(this.address.substring(0, colon),
						Integer.parseInt(this.address.substring(colon + 1))), 1000);
				s.setSoTimeout(5000);
				s.setTcpNoDelay(true);
				DataInputStream in = new DataInputStream(s.getInputStream());
				OutputStream out = new BufferedOutputStream(s.getOutputStream());
				out.write("  V1".getBytes(StandardCharsets.US_ASCII));
				Map<String, Object> identify = new LinkedHashMap<>();
				identify.put("version", EmbeddedNsqd.VERSION);
				identify.put("tcp_port", this.nsqd.tcpPort());
				identify.put("http_port", this.nsqd.httpPort());
				identify.put("hostname", "localhost");
				identify.put("broadcast_address", "127.0.0.1");
				byte[] body = Json.write(identify).getBytes(StandardCharsets.UTF_8);
				out.write("IDENTIFY\n".getBytes(StandardCharsets.US_ASCII));
				out.write(new byte[] { (byte) (body.length >>> 24), (byte) (body.length >>> 16),
						(byte) (body.length >>> 8), (byte) body.length });
				out.write(body);
				out.flush();
				rememberHttpAddress(readResponse(in));
				this.commands.clear();
				List<String> snapshot = this.nsqd.registrationSnapshot();
				for (String command : snapshot) {
					send(out, in, command);
				}
				while (this.running) {
					String command = this.commands.poll(PING_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
					send(out, in, (command != null) ? command : "PING");
				}
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (IOException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				try {
					Thread.sleep(RETRY_MILLIS);
				}
				catch (InterruptedException ie) {
					return;
				}
			}
			finally {
				this.socket = null;
			}
		}
	}

	private void rememberHttpAddress(byte[] identifyResponse) {
		try {
			Map<String, Object> info = Json.parseObject(identifyResponse);
			String host = Json.getString(info, "broadcast_address", "");
			long port = Json.getLong(info, "http_port", 0);
			if (!host.isEmpty() && port > 0) {
				this.httpAddress = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
			}
		}
		catch (RuntimeException ex) {
			// an answer without JSON (old nsqlookupd): channels cannot be asked for
		}
	}

	/**
	 * The channels this nsqlookupd knows for a topic ({@code GET /channels?topic=}), as
	 * nsqd asks when it creates a topic.
	 * @param topic the topic
	 * @return the channels; empty before IDENTIFY or when nsqlookupd cannot be asked
	 */
	List<String> channels(String topic) {
		String http = this.httpAddress;
		List<String> channels = new ArrayList<>();
		if (http == null) {
			return channels;
		}
		HttpURLConnection connection = null;
		try {
			connection = (HttpURLConnection) URI
				.create("http://" + http + "/channels?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8))
				.toURL()
				.openConnection();
			connection.setConnectTimeout(1000);
			connection.setReadTimeout(2000);
			connection.setRequestProperty("Accept", "application/vnd.nsq; version=1.0");
			connection.setRequestProperty("Connection", "close");
			if (connection.getResponseCode() != 200) {
				return channels;
			}
			try (InputStream in = connection.getInputStream()) {
				Object list = Json.parseObject(in.readAllBytes()).get("channels");
				if (list instanceof List<?> names) {
					for (Object name : names) {
						if (name instanceof String channel) {
							channels.add(channel);
						}
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// nsqd only logs a warning and creates the topic without channels
		}
		finally {
			if (connection != null) {
				connection.disconnect();
			}
		}
		return channels;
	}

	private static void send(OutputStream out, DataInputStream in, String command) throws IOException {
		out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		readResponse(in);
	}

	private static byte[] readResponse(DataInputStream in) throws IOException {
		int size = in.readInt();
		if (size < 0 || size > 1024 * 1024) {
			throw new IOException("bad response size " + size);
		}
		byte[] data = new byte[size];
		in.readFully(data);
		if (size >= 2 && data[0] == 'E' && data[1] == '_') {
			throw new IOException(new String(data, StandardCharsets.UTF_8));
		}
		return data;
	}

}
