package io.github.nsqspring.benchmarks.support;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Prints how far a phase got every two seconds, on a daemon thread, until closed.
 */
public final class Progress implements AutoCloseable {

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(DaemonThreads.factory("bench-progress"));

	/**
	 * Start reporting.
	 * @param out where to print
	 * @param phase what is being counted
	 * @param total the target count
	 * @param done how many are done so far
	 */
	public Progress(PrintStream out, String phase, long total, LongSupplier done) {
		long start = System.nanoTime();
		this.timer.scheduleAtFixedRate(() -> {
			long n = done.getAsLong();
			double seconds = (System.nanoTime() - start) / 1e9;
			out.printf(Locale.ROOT, "  %s: %,d / %,d (%,.0f msg/s so far)%n", phase, n, total, n / seconds);
		}, 2, 2, TimeUnit.SECONDS);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
