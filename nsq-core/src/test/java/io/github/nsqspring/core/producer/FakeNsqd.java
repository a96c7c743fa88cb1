package io.github.nsqspring.core.producer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.nsqspring.core.testsupport.LoopbackNsqdServer;
import io.github.nsqspring.core.testsupport.NsqWire;

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

	private volatile Function<Command, Action> script = (command) -> Action.OK;

	/** When not null, every answer first takes a permit. */
	private volatile Semaphore gate;

	private volatile boolean refusing;

	/** Whether publishes are kept in {@link #seen} and {@link #received}. */
	private volatile boolean recording = true;

	private final LoopbackNsqdServer server;

	FakeNsqd() throws IOException {
		this(0);
	}

	FakeNsqd(int port) throws IOException {
		this.server = new LoopbackNsqdServer("fake-nsqd", port, this::serve);
	}

	String address() {
		return this.server.address();
	}

	int port() {
		return this.server.port();
	}

	/**
	 * Stop keeping publishes (only counting answers): for long runs, whose lists would
	 * otherwise grow with every command.
	 */
	void stopRecording() {
		this.recording = false;
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
		this.server.stopListening();
		dropConnections();
	}

	void dropConnections() {
		this.server.dropConnections();
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
		this.server.listenAgain();
	}

	@Override
	public void close() throws IOException {
		// held answers would keep their connections' threads, which close() waits for
		answerFreely();
		this.server.close();
	}

	/**
	 * Reads commands on this thread and answers them on another, in order, so that held
	 * answers do not stop reading (nsqd reads on while its answers sit in buffers).
	 */
	private void serve(Socket socket) throws IOException {
		if (this.refusing) {
			return;
		}
		// as nsqd (Go sets it on every TCP connection): without it, kernel Nagle holds
		// small answers back until the client's delayed ACK
		socket.setTcpNoDelay(true);
		int id = this.connections.incrementAndGet();
		BlockingQueue<Command> toAnswer = new LinkedBlockingQueue<>();
		DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
		OutputStream out = new BufferedOutputStream(socket.getOutputStream());
		Thread answerer = new Thread(() -> answerAll(socket, out, toAnswer), "fake-nsqd-answer-" + id);
		answerer.setDaemon(true);
		try {
			NsqWire.readMagic(in);
			NsqWire.Command command;
			while ((command = NsqWire.readCommand(in)) != null) {
				switch (command.name()) {
					case "IDENTIFY" -> {
						NsqWire.writeFrame(out, NsqWire.FRAME_RESPONSE, IDENTIFY_RESPONSE);
						answerer.start();
					}
					case "NOP" -> this.nops.incrementAndGet();
					case "PUB", "DPUB" -> toAnswer
						.add(seen(new Command(command.name(), command.argument(1), List.of(command.bodyText()), id)));
					case "MPUB" ->
						toAnswer.add(seen(new Command("MPUB", command.argument(1), messages(command.body()), id)));
					default -> toAnswer.add(new Command("INVALID", command.line(), List.of(), id));
				}
			}
		}
		finally {
			toAnswer.add(new Command("END", "", List.of(), id));
			// the server closes the connection once this returns, which must wait for the
			// answers still queued
			awaitAnswerer(answerer);
		}
	}

	private static void awaitAnswerer(Thread answerer) {
		try {
			answerer.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The messages of an MPUB body: a 4-byte count, then each one's 4-byte size and
	 * bytes.
	 */
	private static List<String> messages(byte[] body) {
		ByteBuffer buffer = ByteBuffer.wrap(body);
		int count = buffer.getInt();
		List<String> messages = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			byte[] message = new byte[buffer.getInt()];
			buffer.get(message);
			messages.add(new String(message, StandardCharsets.UTF_8));
		}
		return messages;
	}

	private Command seen(Command command) {
		if (this.recording) {
			this.seen.add(command);
		}
		return command;
	}

	private void answerAll(Socket socket, OutputStream out, BlockingQueue<Command> toAnswer) {
		try (socket) {
			while (true) {
				Command command = toAnswer.take();
				if (command.name().equals("END")) {
					return;
				}
				if (command.name().equals("INVALID")) {
					NsqWire.writeFrame(out, NsqWire.FRAME_ERROR, "E_INVALID invalid command " + command.topic());
					return;
				}
				Semaphore held = this.gate;
				if (held != null) {
					held.acquire();
				}
				switch (this.script.apply(command)) {
					case OK -> {
						if (this.recording) {
							this.received.add(command);
						}
						NsqWire.writeFrame(out, NsqWire.FRAME_RESPONSE, "OK");
						this.answered.incrementAndGet();
					}
					case FATAL -> {
						NsqWire.writeFrame(out, NsqWire.FRAME_ERROR,
								"E_" + command.name() + "_FAILED " + command.name() + " failed exiting");
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
	}

}
