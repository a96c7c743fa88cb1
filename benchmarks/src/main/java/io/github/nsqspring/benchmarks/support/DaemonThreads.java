package io.github.nsqspring.benchmarks.support;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named daemon threads for the harness and for the peers' handler pools.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of daemon threads named {@code prefix-N}.
	 * @param prefix the name prefix
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A fixed pool of daemon threads.
	 * @param threads pool size
	 * @param prefix the thread name prefix
	 * @return the pool
	 */
	public static ExecutorService fixedPool(int threads, String prefix) {
		return Executors.newFixedThreadPool(threads, factory(prefix));
	}

}
