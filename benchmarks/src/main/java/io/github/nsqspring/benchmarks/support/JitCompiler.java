package io.github.nsqspring.benchmarks.support;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The JIT compiler's work, so that a timed window measures the client's steady state and
 * not the compilation of its hot paths.
 * <p>
 * A warm-up sets compilations off; on two shared cores C2 can still be compiling them
 * seconds later, and its CPU time counts in the JVM's process CPU time. Measured on this
 * project's consume run before warm-ups waited for the JIT: C2 used a fifth of the JVM's
 * CPU inside the timed window. So a run waits, after its warm-up, until the compiler's
 * accumulated time ({@link CompilationMXBean#getTotalCompilationTime()}, the sum over
 * compiler threads) stops growing, and reports the compile time left inside its window as
 * {@code jit_ms}.
 */
public final class JitCompiler {

	/** How long the compile time must stay (nearly) still to count as quiet. */
	static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

	/**
	 * Compile time that may still accrue during a quiet period (stray tier-1 to 3
	 * compiles).
	 */
	static final long QUIET_TOLERANCE_MILLIS = 5;

	private static final long POLL_MILLIS = 50;

	private final LongSupplier compiledMillis;

	private final LongSupplier nanoClock;

	private final Sleeper sleeper;

	JitCompiler(LongSupplier compiledMillis, LongSupplier nanoClock, Sleeper sleeper) {
		this.compiledMillis = compiledMillis;
		this.nanoClock = nanoClock;
		this.sleeper = sleeper;
	}

	/**
	 * This JVM's JIT compiler.
	 * @return the compiler; its times are -1 when the JVM does not report them
	 */
	public static JitCompiler ofThisJvm() {
		CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
		LongSupplier millis = (bean != null && bean.isCompilationTimeMonitoringSupported())
				? bean::getTotalCompilationTime : () -> -1;
		return new JitCompiler(millis, System::nanoTime, Thread::sleep);
	}

	/**
	 * Accumulated compile time since the JVM started.
	 * @return milliseconds, -1 when unknown
	 */
	public long compiledMillis() {
		return this.compiledMillis.getAsLong();
	}

	/**
	 * Wait until the compile time has grown by at most {@value #QUIET_TOLERANCE_MILLIS}
	 * ms over half a second, or until {@code maxNanos} have passed.
	 * @param maxNanos the longest wait
	 * @return how the wait ended
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Quiet awaitQuiet(long maxNanos) throws InterruptedException {
		long start = this.nanoClock.getAsLong();
		long firstMillis = this.compiledMillis.getAsLong();
		if (firstMillis < 0) {
			return new Quiet(false, 0, -1);
		}
		long quietSince = start;
		long quietFrom = firstMillis;
		while (true) {
			this.sleeper.sleep(POLL_MILLIS);
			long now = this.nanoClock.getAsLong();
			long millis = this.compiledMillis.getAsLong();
			if (millis - quietFrom > QUIET_TOLERANCE_MILLIS) {
				quietSince = now;
				quietFrom = millis;
			}
			else if (now - quietSince >= QUIET_NANOS) {
				return new Quiet(true, now - start, millis - firstMillis);
			}
			if (now - start >= maxNanos) {
				return new Quiet(false, now - start, millis - firstMillis);
			}
		}
	}

	/**
	 * How a wait for the JIT ended.
	 *
	 * @param quiet whether the compile time stood still before the wait's limit
	 * @param waitedNanos how long it waited
	 * @param compiledMillis compile time accrued while waiting, -1 when unknown
	 */
	public record Quiet(boolean quiet, long waitedNanos, long compiledMillis) {

	}

	@FunctionalInterface
	interface Sleeper {

		void sleep(long millis) throws InterruptedException;

	}

}
