package io.github.nsqspring.core.connection;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection fake nsqd on loopback whose answers a test writes byte by byte, to
 * provoke what a real nsqd never sends. It records every command line it reads.
 */
final class ScriptedNsqd implements AutoCloseable {

	private final ServerSocket server;

	private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();

	private volatile Socket client;

	private volatile String identifyBody;

	private volatile OutputStream out;

	private final Thread acceptor;

	ScriptedNsqd() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::serve, "scripted-nsqd");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	NsqAddress address() {
		return new NsqAddress("127.0.0.1", this.server.getLocalPort());
	}

	/** The next command line the client sent, e.g. {@code IDENTIFY} or {@code NOP}. */
	String nextCommand() throws InterruptedException {
		String command = this.commands.poll(10, TimeUnit.SECONDS);
		if (command == null) {
			throw new AssertionError("no command from the client within 10s");
		}
		return command;
	}

	/** The JSON body of the client's IDENTIFY. */
	String identifyBody() {
		return this.identifyBody;
	}

	void send(byte[] bytes) throws IOException {
		awaitClient();
		this.out.write(bytes);
		this.out.flush();
	}

	void sendResponse(String text) throws IOException {
		send(frame(0, text.getBytes(StandardCharsets.UTF_8)));
	}

	void sendError(String text) throws IOException {
		send(frame(1, text.getBytes(StandardCharsets.UTF_8)));
	}

	void closeClient() throws IOException {
		awaitClient();
		this.client.close();
	}

	static byte[] frame(int type, byte[] data) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		writeInt(bytes, data.length + 4);
		writeInt(bytes, type);
		bytes.writeBytes(data);
		return bytes.toByteArray();
	}

	static byte[] ints(int... values) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int value : values) {
			writeInt(bytes, value);
		}
		return bytes.toByteArray();
	}

	private static void writeInt(ByteArrayOutputStream bytes, int value) {
		bytes.write(value >>> 24);
		bytes.write(value >>> 16);
		bytes.write(value >>> 8);
		bytes.write(value);
	}

	private void awaitClient() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.out == null) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no client connected within 10s");
			}
			Thread.onSpinWait();
		}
	}

	private void serve() {
		try (Socket socket = this.server.accept()) {
			this.client = socket;
			this.out = socket.getOutputStream();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			byte[] magic = in.readNBytes(4);
			this.commands.add(new String(magic, StandardCharsets.US_ASCII));
			while (true) {
				String line = readLine(in);
				if (line == null) {
					return;
				}
				String name = line.split(" ")[0];
				if (name.equals("IDENTIFY")) {
					this.identifyBody = new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
				}
				else if (name.equals("AUTH") || name.equals("PUB") || name.equals("DPUB") || name.equals("MPUB")) {
					in.readNBytes(in.readInt());
				}
				this.commands.add(line);
			}
		}
		catch (IOException ex) {
			// the test closed the server or the client went away
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				return null;
			}
			line.write(b);
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		Socket socket = this.client;
		if (socket != null) {
			socket.close();
		}
	}

}
