package io.github.nsqspring.core.consumer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import io.github.nsqspring.core.testsupport.LoopbackNsqdServer;
import io.github.nsqspring.core.testsupport.NsqWire;

/**
 * A scripted nsqd on loopback for golden-trace tests: it records every command a client
 * sends (IDENTIFY without its body) and delivers its script's messages one at a time,
 * each only when nothing is in flight and the client's RDY is above 0, so the client's
 * reaction to each message (RDY, FIN, REQ) is seen before the next one is sent. A script
 * may end by closing the connection once its last message was answered.
 */
final class GoldenTraceNsqd implements AutoCloseable {

	private final IntFunction<Script> scripts;

	private final List<Session> sessions = new CopyOnWriteArrayList<>();

	private final LoopbackNsqdServer server;

	GoldenTraceNsqd(IntFunction<Script> scripts) throws IOException {
		this(0, scripts);
	}

	/** Listens on the given loopback port, 0 for any free one. */
	GoldenTraceNsqd(int port, IntFunction<Script> scripts) throws IOException {
		this.scripts = scripts;
		this.server = new LoopbackNsqdServer("golden-trace-nsqd", port, this::serve);
	}

	String address() {
		return this.server.address();
	}

	/**
	 * The commands received on the n-th connection (0-based), empty while it does not
	 * exist.
	 */
	List<String> commands(int connection) {
		return (connection < this.sessions.size()) ? this.sessions.get(connection).commands() : List.of();
	}

	int connections() {
		return this.sessions.size();
	}

	/** Connections the client has not closed yet. */
	int openConnections() {
		return (int) this.sessions.stream().filter((session) -> !session.ended).count();
	}

	/** Close the n-th connection from the server side. */
	void disconnect(int connection) {
		try {
			this.sessions.get(connection).socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	private void serve(Socket socket) throws IOException {
		Session session;
		// a connection's number picks its script, so numbering and registering must not
		// interleave with another connection's
		synchronized (this.sessions) {
			session = new Session(socket, this.scripts.apply(this.sessions.size()));
			this.sessions.add(session);
		}
		try {
			session.run();
		}
		finally {
			session.ended = true;
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	/** A message to deliver. */
	record Scripted(String id, int attempts, String body) {

		static Scripted of(String id, String body) {
			return new Scripted(id, 0, body);
		}

	}

	/**
	 * What one connection delivers: one message at a time (or, in burst mode, as many as
	 * RDY allows, as nsqd does), whether it closes after the last answer, what it answers
	 * to IDENTIFY and whether it refuses every FIN with {@code E_FIN_FAILED}.
	 */
	record Script(List<Scripted> messages, boolean closeWhenDone, boolean burst, String identifyAnswer,
			boolean refuseFin, String subError) {

		static Script of(Scripted... messages) {
			return new Script(List.of(messages), false, false, "OK", false, null);
		}

		static Script closingAfter(Scripted... messages) {
			return new Script(List.of(messages), true, false, "OK", false, null);
		}

		Script inBursts() {
			return new Script(this.messages, this.closeWhenDone, true, this.identifyAnswer, this.refuseFin,
					this.subError);
		}

		Script withMaxRdyCount(long maxRdyCount) {
			return new Script(this.messages, this.closeWhenDone, this.burst,
					"{\"max_rdy_count\":" + maxRdyCount + ",\"version\":\"1.3.0\",\"max_msg_timeout\":900000,"
							+ "\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,\"deflate_level\":6,"
							+ "\"max_deflate_level\":6,\"snappy\":false,\"sample_rate\":0,\"auth_required\":false,"
							+ "\"output_buffer_size\":16384,\"output_buffer_timeout\":250}",
					this.refuseFin, this.subError);
		}

		Script refusingFin() {
			return new Script(this.messages, this.closeWhenDone, this.burst, this.identifyAnswer, true, this.subError);
		}

		/** Answer SUB with this fatal error frame and close, as nsqd does. */
		Script refusingSub(String errorText) {
			return new Script(this.messages, this.closeWhenDone, this.burst, this.identifyAnswer, this.refuseFin,
					errorText);
		}

	}

	private static final class Session {

		private final Socket socket;

		private final Script script;

		private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

		private OutputStream out;

		private long rdy;

		private int inFlight;

		private int next;

		private volatile boolean ended;

		Session(Socket socket, Script script) {
			this.socket = socket;
			this.script = script;
		}

		List<String> commands() {
			synchronized (this.commands) {
				return List.copyOf(this.commands);
			}
		}

		void run() throws IOException {
			DataInputStream in = new DataInputStream(this.socket.getInputStream());
			this.out = this.socket.getOutputStream();
			NsqWire.readMagic(in);
			NsqWire.Command command;
			while ((command = NsqWire.readCommand(in)) != null) {
				String line = command.line();
				String name = command.name();
				this.commands.add(line);
				switch (name) {
					case "IDENTIFY" -> respond(NsqWire.FRAME_RESPONSE, this.script.identifyAnswer());
					case "SUB" -> {
						if (this.script.subError() != null) {
							respond(NsqWire.FRAME_ERROR, this.script.subError());
							return;
						}
						respond(NsqWire.FRAME_RESPONSE, "OK");
					}
					case "CLS" -> respond(NsqWire.FRAME_RESPONSE, "CLOSE_WAIT");
					case "RDY" -> this.rdy = Long.parseLong(command.argument(1));
					case "FIN" -> {
						this.inFlight--;
						if (this.script.refuseFin()) {
							respond(NsqWire.FRAME_ERROR,
									"E_FIN_FAILED FIN " + line.substring(4) + " failed ID not in flight");
						}
					}
					case "REQ" -> this.inFlight--;
					default -> {
					}
				}
				if (this.script.closeWhenDone() && this.next == this.script.messages().size() && this.inFlight == 0
						&& (name.equals("FIN") || name.equals("REQ"))) {
					return;
				}
				maybeSend();
			}
		}

		private void maybeSend() throws IOException {
			while (this.inFlight < (this.script.burst() ? this.rdy : Math.min(1, this.rdy))
					&& this.next < this.script.messages().size()) {
				Scripted message = this.script.messages().get(this.next++);
				this.out.write(NsqWire.messageFrame(System.currentTimeMillis() * 1_000_000L, message.attempts(),
						message.id(), message.body().getBytes(StandardCharsets.UTF_8)));
				this.out.flush();
				this.inFlight++;
			}
		}

		private void respond(int type, String text) throws IOException {
			NsqWire.writeFrame(this.out, type, text);
		}

	}

}
