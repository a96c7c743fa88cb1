package io.github.nsqspring.core.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening side of a fake nsqd on loopback: it accepts connections and serves each
 * on its own daemon thread, and on {@link #close()} closes everything it started, so a
 * test that closes it leaves no socket or thread behind. What a connection is answered is
 * up to its {@link ConnectionHandler}.
 */
public final class LoopbackNsqdServer implements AutoCloseable {

	private final String name;

	private final ConnectionHandler handler;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile ServerSocket listening;

	private volatile boolean closed;

	/**
	 * Listens on the given loopback port (0 for any free one) and serves every connection
	 * with the handler; thread names start with the given name.
	 */
	public LoopbackNsqdServer(String name, int port, ConnectionHandler handler) throws IOException {
		this.name = name;
		this.handler = handler;
		this.listening = listen(port);
		this.port = this.listening.getLocalPort();
	}

	public int port() {
		return this.port;
	}

	/** {@code host:port}, as a client is configured with it. */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/** Stop accepting connections; the open ones stay open. */
	public void stopListening() throws IOException {
		ServerSocket current = this.listening;
		this.listening = null;
		if (current != null) {
			current.close();
		}
	}

	/** Listen again on the same port after {@link #stopListening()}. */
	public void listenAgain() throws IOException {
		this.listening = listen(this.port);
	}

	/** Close every open connection from the server's side. */
	public void dropConnections() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		stopListening();
		dropConnections();
		for (Thread thread : this.threads) {
			if (thread == Thread.currentThread()) {
				continue;
			}
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private ServerSocket listen(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		// the port may have just been closed with connections in TIME_WAIT on it, and
		// listening again on the same port is the point
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		start(this.name + "-accept-" + server.getLocalPort(), () -> accept(server));
		return server;
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			Socket socket;
			try {
				socket = server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.sockets.add(socket);
			// close() may have run between accept() and add(), and missed this socket
			if (this.closed) {
				closeQuietly(socket);
			}
			start(this.name + "-conn-" + this.accepted.incrementAndGet(), () -> serve(socket));
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			this.handler.serve(socket);
		}
		catch (IOException ex) {
			// the client went away, or the test dropped the connection or closed the
			// server
		}
		finally {
			this.sockets.remove(socket);
		}
	}

	private void start(String threadName, Runnable task) {
		Thread thread = new Thread(task, threadName);
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	/** Serves one accepted connection; the server closes it once this returns. */
	@FunctionalInterface
	public interface ConnectionHandler {

		void serve(Socket socket) throws IOException;

	}

}
