package io.github.nsqspring.core.connection;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.nsqspring.core.testsupport.LoopbackNsqdServer;
import io.github.nsqspring.core.testsupport.NsqWire;

/**
 * A one-connection fake nsqd on loopback whose answers a test writes byte by byte, to
 * provoke what a real nsqd never sends. It records every command line it reads, the magic
 * included.
 */
final class RawAnswerNsqd implements AutoCloseable {

	private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();

	private final CompletableFuture<Socket> client = new CompletableFuture<>();

	private volatile String identifyBody;

	private final LoopbackNsqdServer server;

	RawAnswerNsqd() throws IOException {
		this.server = new LoopbackNsqdServer("raw-answer-nsqd", 0, this::serve);
	}

	NsqAddress address() {
		return new NsqAddress("127.0.0.1", this.server.port());
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
		OutputStream out = awaitClient().getOutputStream();
		out.write(bytes);
		out.flush();
	}

	void sendResponse(String text) throws IOException {
		send(frame(NsqWire.FRAME_RESPONSE, text.getBytes(StandardCharsets.UTF_8)));
	}

	void sendError(String text) throws IOException {
		send(frame(NsqWire.FRAME_ERROR, text.getBytes(StandardCharsets.UTF_8)));
	}

	void closeClient() throws IOException {
		awaitClient().close();
	}

	static byte[] frame(int type, byte[] data) {
		return NsqWire.frame(type, data);
	}

	static byte[] ints(int... values) {
		return NsqWire.ints(values);
	}

	private Socket awaitClient() {
		try {
			return this.client.get(10, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("no client connected within 10s");
		}
		catch (InterruptedException | ExecutionException ex) {
			throw new AssertionError(ex);
		}
	}

	private void serve(Socket socket) throws IOException {
		// the bytes a test sends are meant for the one connection under test; a second
		// one
		// is closed so that a test which reconnects by mistake fails at once
		if (!this.client.complete(socket)) {
			return;
		}
		DataInputStream in = new DataInputStream(socket.getInputStream());
		this.commands.add(NsqWire.readMagic(in));
		NsqWire.Command command;
		while ((command = NsqWire.readCommand(in)) != null) {
			if (command.name().equals("IDENTIFY")) {
				this.identifyBody = command.bodyText();
			}
			this.commands.add(command.line());
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
