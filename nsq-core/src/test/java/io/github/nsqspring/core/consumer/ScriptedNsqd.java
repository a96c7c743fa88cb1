package io.github.nsqspring.core.consumer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A scripted nsqd on loopback for golden-trace tests: it records every command a client
 * sends (IDENTIFY without its body) and delivers its script's messages one at a time,
 * each only when nothing is in flight and the client's RDY is above 0, so the client's
 * reaction to each message (RDY, FIN, REQ) is seen before the next one is sent. A script
 * may end by closing the connection once its last message was answered.
 */
final class ScriptedNsqd implements AutoCloseable {

	private final ServerSocket server;

	private final IntFunction<Script> scripts;

	private final List<Session> sessions = new CopyOnWriteArrayList<>();

	private final Thread acceptor;

	private volatile boolean closed;

	ScriptedNsqd(IntFunction<Script> scripts) throws IOException {
		this.scripts = scripts;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.acceptor = new Thread(this::accept, "scripted-nsqd-accept");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
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

	/** Close the n-th connection from the server side. */
	void disconnect(int connection) {
		this.sessions.get(connection).closeSocket();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket socket = this.server.accept();
				Session session = new Session(socket, this.scripts.apply(this.sessions.size()));
				this.sessions.add(session);
				Thread thread = new Thread(session::run, "scripted-nsqd-" + this.sessions.size());
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.server.close();
		for (Session session : this.sessions) {
			session.closeSocket();
		}
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
			boolean refuseFin) {

		static Script of(Scripted... messages) {
			return new Script(List.of(messages), false, false, "OK", false);
		}

		static Script closingAfter(Scripted... messages) {
			return new Script(List.of(messages), true, false, "OK", false);
		}

		Script inBursts() {
			return new Script(this.messages, this.closeWhenDone, true, this.identifyAnswer, this.refuseFin);
		}

		Script withMaxRdyCount(long maxRdyCount) {
			return new Script(this.messages, this.closeWhenDone, this.burst,
					"{\"max_rdy_count\":" + maxRdyCount + ",\"version\":\"1.3.0\",\"max_msg_timeout\":900000,"
							+ "\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,\"deflate_level\":6,"
							+ "\"max_deflate_level\":6,\"snappy\":false,\"sample_rate\":0,\"auth_required\":false,"
							+ "\"output_buffer_size\":16384,\"output_buffer_timeout\":250}",
					this.refuseFin);
		}

		Script refusingFin() {
			return new Script(this.messages, this.closeWhenDone, this.burst, this.identifyAnswer, true);
		}

	}

	private static final class Session {

		private final Socket socket;

		private final Script script;

		private final List<String> commands = Collections.synchronizedList(new ArrayList<>());

		private DataOutputStream out;

		private long rdy;

		private int inFlight;

		private int next;

		Session(Socket socket, Script script) {
			this.socket = socket;
			this.script = script;
		}

		List<String> commands() {
			synchronized (this.commands) {
				return List.copyOf(this.commands);
			}
		}

		void run() {
			try (Socket socket = this.socket) {
				DataInputStream in = new DataInputStream(socket.getInputStream());
				this.out = new DataOutputStream(socket.getOutputStream());
				in.readFully(new byte[4]);
				while (true) {
					String line = readLine(in);
					if (line == null) {
						return;
					}
					String name = line.split(" ")[0];
					if (name.equals("IDENTIFY") || name.equals("AUTH")) {
						byte[] body = new byte[in.readInt()];
						in.readFully(body);
					}
					this.commands.add(line);
					switch (name) {
						case "IDENTIFY" -> respond(0, this.script.identifyAnswer());
						case "SUB" -> respond(0, "OK");
						case "CLS" -> respond(0, "CLOSE_WAIT");
						case "RDY" -> this.rdy = Long.parseLong(line.split(" ")[1]);
						case "FIN" -> {
							this.inFlight--;
							if (this.script.refuseFin()) {
								respond(1, "E_FIN_FAILED FIN " + line.substring(4) + " failed ID not in flight");
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
			catch (IOException ex) {
				// client gone or closed by the test
			}
		}

		private void maybeSend() throws IOException {
			while (this.inFlight < (this.script.burst() ? this.rdy : Math.min(1, this.rdy))
					&& this.next < this.script.messages().size()) {
				Scripted message = this.script.messages().get(this.next++);
				byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
				this.out.writeInt(4 + 8 + 2 + 16 + body.length);
				this.out.writeInt(2);
				this.out.writeLong(System.currentTimeMillis() * 1_000_000L);
				this.out.writeShort(message.attempts());
				this.out.write(message.id().getBytes(StandardCharsets.US_ASCII));
				this.out.write(body);
				this.out.flush();
				this.inFlight++;
			}
		}

		private void respond(int type, String text) throws IOException {
			byte[] data = text.getBytes(StandardCharsets.UTF_8);
			this.out.writeInt(4 + data.length);
			this.out.writeInt(type);
			this.out.write(data);
			this.out.flush();
		}

		private static String readLine(DataInputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			while (true) {
				int b = in.read();
				if (b < 0) {
					return null;
				}
				if (b == '\n') {
					return line.toString();
				}
				line.append((char) b);
			}
		}

		void closeSocket() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closed already
			}
		}

	}

}
