package io.github.nsqspring.core.connection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces {@code write_timeout}: blocking socket writes have no deadline of their own,
 * so one daemon thread ({@code nsq-write-watchdog}) checks the connections that are
 * writing and closes any whose write has been blocked longer than its timeout. The thread
 * exists only while connections are open; it ends when the last one closes.
 */
final class WriteWatchdog {

	private static final long TICK_NANOS = 50_000_000L;

	private static final Set<NsqConnection> connections = ConcurrentHashMap.newKeySet();

	private static Thread thread;

	private WriteWatchdog() {
	}

	static synchronized void register(NsqConnection connection) {
		connections.add(connection);
		if (thread == null) {
			thread = new Thread(WriteWatchdog::run, "nsq-write-watchdog");
			thread.setDaemon(true);
			thread.start();
		}
	}

	static synchronized void unregister(NsqConnection connection) {
		connections.remove(connection);
		if (connections.isEmpty() && thread != null) {
			LockSupport.unpark(thread);
			thread = null;
		}
	}

	private static void run() {
		Thread self = Thread.currentThread();
		while (true) {
			synchronized (WriteWatchdog.class) {
				if (thread != self) {
					return;
				}
			}
			long now = System.nanoTime();
			for (NsqConnection connection : connections) {
				connection.checkWriteStall(now);
			}
			LockSupport.parkNanos(TICK_NANOS);
		}
	}

}
