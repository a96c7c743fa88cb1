package io.github.nsqspring.core.producer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted nsqd for producer tests, on loopback: it accepts connections, answers
 * IDENTIFY with nsqd 1.3's JSON, reads PUB/MPUB/DPUB/NOP and answers each publish as the
 * script says, strictly in order (like nsqd, one command at a time per connection). It
 * can hold answers back (a gate of permits), stop listening and listen again on the same
 * port.
 */
final class FakeNsqd implements AutoCloseable {

	/** What to do with a publish. */
	enum Action {

		/** Answer OK. */
		OK,

		/** Answer E_PUB_FAILED (fatal) and close the connection, as nsqd does. */
		FATAL,

		/** Close the connection without answering. */
		DROP

	}

	/** A publish command as received. */
	record Command(String name, String topic, List<String> bodies, int connection) {

		String body() {
			return this.bodies.get(0);
		}

	}

	private static final String IDENTIFY_RESPONSE = "{\"max_rdy_count\":2500,\"version\":\"1.3.0\","
			+ "\"max_msg_timeout\":900000,\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,"
			+ "\"deflate_level\":0,\"max_deflate_level\":6,\"snappy\":false,\"sample_rate\":0,"
			+ "\"auth_required\":false,\"output_buffer_size\":16384,\"output_buffer_timeout\":250}";

	/** Publishes answered OK. */
	final List<Command> received = new CopyOnWriteArrayList<>();

	/** Every publish read, whatever the answer. */
	final List<Command> seen = new CopyOnWriteArrayList<>();

	final AtomicInteger connections = new AtomicInteger();

	final AtomicInteger nops = new AtomicInteger();

	final AtomicInteger answered = new AtomicInteger();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private volatile Function<Command, Action> script = (command) -> Action.OK;

	/** When not null, every answer first takes a permit. */
	private volatile Semaphore gate;

	private volatile ServerSocket server;

	private volatile boolean refusing;

	private final int port;

	FakeNsqd() throws IOException {
		this(0);
	}

	FakeNsqd(int port) throws IOException {
		this.server = listen(port);
		this.port = this.server.getLocalPort();
	}

	String address() {
		return "127.0.0.1:" + this.port;
	}

	int port() {
		return this.port;
	}

	void script(Function<Command, Action> script) {
		this.script = script;
	}

	/**
	 * Hold every answer until {@link #release(int)} gives permits.
	 */
	void holdAnswers() {
		this.gate = new Semaphore(0);
	}

	void release(int answers) {
		this.gate.release(answers);
	}

	void answerFreely() {
		Semaphore held = this.gate;
		this.gate = null;
		if (held != null) {
			held.release(Integer.MAX_VALUE / 2);
		}
	}

	int seenMessages() {
		int count = 0;
		for (Command command : this.seen) {
			count += command.bodies().size();
		}
		return count;
	}

	List<String> bodies() {
		List<String> bodies = new ArrayList<>();
		for (Command command : this.received) {
			bodies.addAll(command.bodies());
		}
		return bodies;
	}

	/**
	 * Stop listening and drop every open connection.
	 */
	void stop() throws IOException {
		ServerSocket current = this.server;
		this.server = null;
		if (current != null) {
			current.close();
		}
		dropConnections();
	}

	void dropConnections() {
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
	}

	/**
	 * Act as a dead nsqd: drop every connection and close new ones at once. The port
	 * stays bound, so no other process on this machine can take it meanwhile (which
	 * stopping and listening again could allow).
	 */
	void down() {
		this.refusing = true;
		dropConnections();
	}

	/**
	 * Accept connections again after {@link #down()}.
	 */
	void up() {
		this.refusing = false;
	}

	/**
	 * Listen again on the same port.
	 */
	void restart() throws IOException {
		this.server = listen(this.port);
	}

	@Override
	public void close() throws IOException {
		answerFreely();
		stop();
		for (Thread thread : this.threads) {
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private ServerSocket listen(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		Thread acceptor = new Thread(() -> accept(socket), "fake-nsqd-accept-" + socket.getLocalPort());
		acceptor.setDaemon(true);
		this.threads.add(acceptor);
		acceptor.start();
		return socket;
	}

	private void accept(ServerSocket serverSocket) {
		while (!serverSocket.isClosed()) {
			try {
				Socket socket = serverSocket.accept();
				if (this.refusing) {
					socket.close();
					continue;
				}
				// as nsqd (Go sets it on every TCP connection): without it, kernel Nagle
				// holds small answers back until the client's delayed ACK
				socket.setTcpNoDelay(true);
				int id = this.connections.incrementAndGet();
				this.sockets.add(socket);
				Thread handler = new Thread(() -> serve(socket, id), "fake-nsqd-conn-" + id);
				handler.setDaemon(true);
				this.threads.add(handler);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/**
	 * Reads commands on one thread and answers them on another, in order, so that held
	 * answers do not stop reading (nsqd reads on while its answers sit in buffers).
	 */
	private void serve(Socket socket, int id) {
		BlockingQueue<Command> toAnswer = new LinkedBlockingQueue<>();
		Command end = new Command("END", "", List.of(), id);
		try {
			DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
			DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
			Thread answerer = new Thread(() -> answerAll(socket, out, toAnswer), "fake-nsqd-answer-" + id);
			answerer.setDaemon(true);
			this.threads.add(answerer);
			in.readFully(new byte[4]);
			while (true) {
				String line = readLine(in);
				String[] parts = line.split(" ");
				switch (parts[0]) {
					case "IDENTIFY" -> {
						in.readFully(new byte[in.readInt()]);
						frame(out, 0, IDENTIFY_RESPONSE);
						answerer.start();
					}
					case "NOP" -> this.nops.incrementAndGet();
					case "PUB", "DPUB" -> {
						byte[] body = new byte[in.readInt()];
						in.readFully(body);
						toAnswer.add(seen(new Command(parts[0], parts[1], List.of(text(body)), id)));
					}
					case "MPUB" -> {
						in.readInt();
						int count = in.readInt();
						List<String> bodies = new ArrayList<>();
						for (int i = 0; i < count; i++) {
							byte[] body = new byte[in.readInt()];
							in.readFully(body);
							bodies.add(text(body));
						}
						toAnswer.add(seen(new Command("MPUB", parts[1], bodies, id)));
					}
					default -> toAnswer.add(new Command("INVALID", line, List.of(), id));
				}
			}
		}
		catch (IOException ex) {
			// connection closed
		}
		finally {
			toAnswer.add(end);
		}
	}

	private Command seen(Command command) {
		this.seen.add(command);
		return command;
	}

	private void answerAll(Socket socket, DataOutputStream out, BlockingQueue<Command> toAnswer) {
		try (socket) {
			while (true) {
				Command command = toAnswer.take();
				if (command.name().equals("END")) {
					return;
				}
				if (command.name().equals("INVALID")) {
					frame(out, 1, "E_INVALID invalid command " + command.topic());
					return;
				}
				Semaphore held = this.gate;
				if (held != null) {
					held.acquire();
				}
				switch (this.script.apply(command)) {
					case OK -> {
						this.received.add(command);
						frame(out, 0, "OK");
						this.answered.incrementAndGet();
					}
					case FATAL -> {
						frame(out, 1, "E_" + command.name() + "_FAILED " + command.name() + " failed exiting");
						return;
					}
					default -> {
						return;
					}
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// connection closed
		}
		finally {
			this.sockets.remove(socket);
		}
	}

	private static void frame(DataOutputStream out, int type, String data) throws IOException {
		byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length + 4);
		out.writeInt(type);
		out.write(bytes);
		out.flush();
	}

	private static String readLine(DataInputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("closed");
			}
			line.append((char) b);
		}
		return line.toString();
	}

	private static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

}
