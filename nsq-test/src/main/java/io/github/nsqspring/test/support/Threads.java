package io.github.nsqspring.test.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread helpers: every thread this module starts is a daemon named {@code nsq-test-…},
 * so tests can check that nothing leaks after a server stops.
 */
public final class Threads {

	/** Prefix of every thread name. */
	public static final String PREFIX = "nsq-test-";

	private Threads() {
	}

	/**
	 * Start a daemon thread.
	 * @param name the name after the {@value #PREFIX} prefix
	 * @param task the work
	 * @return the started thread
	 */
	public static Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, PREFIX + name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	/**
	 * A factory of daemon threads named {@code nsq-test-<name>-<n>}.
	 * @param name the name after the prefix
	 * @return the factory
	 */
	public static ThreadFactory factory(String name) {
		AtomicInteger counter = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, PREFIX + name + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A pool for an HTTP server: grows to {@code max} threads, which die after a second
	 * idle.
	 * @param name the name after the prefix
	 * @param max maximum threads
	 * @return the executor
	 */
	public static ExecutorService httpPool(String name, int max) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(max, max, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				factory(name));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Wait for a thread to end, keeping the interrupt flag.
	 * @param thread the thread, may be {@code null}
	 * @param millis how long to wait at most
	 */
	public static void join(Thread thread, long millis) {
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
