package io.github.nsqspring.core.connection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the connections' timeouts ({@code dial_timeout}, {@code read_timeout},
 * {@code write_timeout}) from outside the blocked call: one daemon thread
 * ({@code nsq-connection-watchdog}) asks every watched socket every 50 ms whether a call
 * overran its timeout, and the socket closes itself if so, which ends the call.
 * <p>
 * Why not socket timeouts: the JDK switches a socket that was given a timeout
 * ({@code SO_TIMEOUT}, or a connect with a timeout) to non-blocking mode for good, and a
 * reader of such a socket then pays a failed {@code read(2)} and a {@code poll(2)}
 * besides the read itself each time it waits for data. Left blocking, a waiting reader
 * costs one {@code read(2)}: the reader of a consumer waits once per batch of messages,
 * the reader of a publisher once per response. Blocking writes never had a timeout of
 * their own.
 * <p>
 * The thread exists only while something is watched.
 */
final class ConnectionWatchdog {

	private static final long TICK_NANOS = 50_000_000L;

	private static final Set<Watched> watched = ConcurrentHashMap.newKeySet();

	private static Thread thread;

	private ConnectionWatchdog() {
	}

	static synchronized void watch(Watched socket) {
		watched.add(socket);
		if (thread == null) {
			thread = new Thread(ConnectionWatchdog::run, "nsq-connection-watchdog");
			thread.setDaemon(true);
			thread.start();
		}
	}

	static synchronized void unwatch(Watched socket) {
		watched.remove(socket);
		if (watched.isEmpty() && thread != null) {
			LockSupport.unpark(thread);
			thread = null;
		}
	}

	private static void run() {
		Thread self = Thread.currentThread();
		while (true) {
			synchronized (ConnectionWatchdog.class) {
				if (thread != self) {
					return;
				}
			}
			long now = System.nanoTime();
			for (Watched socket : watched) {
				socket.checkTimeouts(now);
			}
			LockSupport.parkNanos(TICK_NANOS);
		}
	}

	/**
	 * A socket whose blocking calls have deadlines.
	 */
	interface Watched {

		/**
		 * Close the socket if a call on it overran its timeout (watchdog thread).
		 * @param now {@link System#nanoTime()}
		 */
		void checkTimeouts(long now);

	}

}
