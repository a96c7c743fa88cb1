package io.github.nsqspring.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this JVM (and optionally nsqd) spent over a timed window: process CPU time and the
 * bytes allocated by all threads, each divided by the messages of the window.
 * <p>
 * <b>CPU</b> is the JVM's process CPU time ({@code OperatingSystemMXBean}, every thread:
 * the client's, the harness's, GC and JIT), nanosecond resolution. nsqd's is read from
 * {@code /proc/<pid>/stat} (utime + stime, in clock ticks of 10 ms): indicative over
 * windows of seconds.
 * <p>
 * <b>Allocation</b> over all threads has one catch: a thread that ends inside the window
 * takes its counter with it. Java 21 (and recent Java 17 updates, e.g. 17.0.15) keep a
 * total that includes ended threads ({@code ThreadMXBean.getTotalThreadAllocatedBytes}):
 * one call, as exact as the per-thread counters, so it is used when present. Without it
 * the sum over live threads at both ends ({@code getThreadAllocatedBytes(long[])}, one
 * call for all threads, microseconds) is completed by the harness's own threads, which
 * report their counter as they end ({@link #threadEnding()}); a client thread that ends
 * inside the window (none does in these scenarios: readers, workers and Spring's threads
 * outlive the window) is missing from the figure with what it allocated inside the
 * window: such threads that were alive at the start are counted and reported, one that
 * also started inside the window is not seen at all. JFR's
 * {@code jdk.ThreadAllocationStatistics} was not used: it samples periodically, so it has
 * the same blind spot for ended threads, and a recording costs more than two calls per
 * window.
 * <p>
 * The counters are per TLAB: an allocation is counted when its thread takes a new TLAB or
 * allocates outside one, so a window is exact to within one TLAB per thread (kilobytes),
 * nothing against the millions of messages of a run.
 */
public final class ResourceMeter {

	private final com.sun.management.ThreadMXBean threads;

	private final com.sun.management.OperatingSystemMXBean os;

	/** {@code getTotalThreadAllocatedBytes} of Java 21+, {@code null} on 17. */
	private final Method totalAllocated;

	private final ProcessCpu nsqd;

	private final JitCompiler jit = JitCompiler.ofThisJvm();

	/** Counters of the harness's threads as they ended: thread id → (bytes, when). */
	private final Map<Long, Ended> ended = new ConcurrentHashMap<>();

	private ResourceMeter(ProcessCpu nsqd, boolean useTotal) {
		java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		java.lang.management.OperatingSystemMXBean osBean = ManagementFactory.getOperatingSystemMXBean();
		this.threads = (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported())
				? sun : null;
		this.os = (osBean instanceof com.sun.management.OperatingSystemMXBean sun) ? sun : null;
		if (this.threads != null && !this.threads.isThreadAllocatedMemoryEnabled()) {
			this.threads.setThreadAllocatedMemoryEnabled(true);
		}
		this.totalAllocated = (this.threads != null && useTotal) ? totalAllocatedMethod() : null;
		this.nsqd = nsqd;
	}

	/**
	 * A meter of this JVM, and of nsqd when its process id is given.
	 * @param nsqdPid nsqd's process id on this machine, empty when not measured
	 * @return the meter
	 * @throws IllegalArgumentException when {@code /proc/<pid>/stat} cannot be read
	 */
	public static ResourceMeter create(OptionalLong nsqdPid) {
		ProcessCpu nsqd = null;
		if (nsqdPid.isPresent()) {
			nsqd = new ProcessCpu(nsqdPid.getAsLong());
			nsqd.cpuNanos();
		}
		return new ResourceMeter(nsqd, true);
	}

	/**
	 * A meter of this JVM that sums the per-thread counters even where the JVM keeps a
	 * total: the way of JVMs without the total, for tests on JVMs with it.
	 * @return the meter
	 */
	static ResourceMeter perThreadCounters() {
		return new ResourceMeter(null, false);
	}

	private static Method totalAllocatedMethod() {
		try {
			return com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	/**
	 * How allocation is measured on this JVM, for the run's output.
	 * @return a short description
	 */
	public String allocationSource() {
		if (this.threads == null) {
			return "not available on this JVM";
		}
		return (this.totalAllocated != null) ? "ThreadMXBean.getTotalThreadAllocatedBytes (includes ended threads)"
				: "ThreadMXBean per-thread counters (live threads, plus the harness's threads as they end)";
	}

	/**
	 * Record the calling thread's allocation counter as it ends. Harness threads that may
	 * end inside a timed window call it last.
	 */
	public void threadEnding() {
		if (this.threads != null && this.totalAllocated == null) {
			long bytes = this.threads.getCurrentThreadAllocatedBytes();
			if (bytes >= 0) {
				this.ended.put(Thread.currentThread().getId(), new Ended(bytes, System.nanoTime()));
			}
		}
	}

	/**
	 * The counters now.
	 * @return a snapshot
	 */
	public Snapshot snapshot() {
		long now = System.nanoTime();
		long cpu = (this.os != null) ? this.os.getProcessCpuTime() : -1;
		long nsqdCpu = (this.nsqd != null) ? this.nsqd.cpuNanosOrMinusOne() : -1;
		long jitMillis = this.jit.compiledMillis();
		if (this.threads == null) {
			return new Snapshot(now, cpu, nsqdCpu, jitMillis, -1, null);
		}
		if (this.totalAllocated != null) {
			return new Snapshot(now, cpu, nsqdCpu, jitMillis, totalAllocated(), null);
		}
		long[] ids = this.threads.getAllThreadIds();
		long[] bytes = this.threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> perThread = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] >= 0) {
				perThread.put(ids[i], bytes[i]);
			}
		}
		return new Snapshot(now, cpu, nsqdCpu, jitMillis, -1, perThread);
	}

	private long totalAllocated() {
		try {
			return (long) this.totalAllocated.invoke(this.threads);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot read the JVM's allocation total", ex);
		}
	}

	/**
	 * What was spent between two snapshots, per message.
	 * @param start the snapshot at the window's start
	 * @param end the snapshot at its end
	 * @param messages the messages of the window
	 * @return the usage
	 */
	public Usage usage(Snapshot start, Snapshot end, long messages) {
		Map<Long, Long> endedInWindow = new HashMap<>();
		this.ended.forEach((id, e) -> {
			if (e.nanoTime - start.nanoTime >= 0 && end.nanoTime - e.nanoTime >= 0) {
				endedInWindow.put(id, e.bytes);
			}
		});
		return Usage.between(start, end, endedInWindow, messages);
	}

	private record Ended(long bytes, long nanoTime) {
	}

	/**
	 * The counters at one moment.
	 *
	 * @param nanoTime when ({@link System#nanoTime()})
	 * @param cpuNanos the JVM's process CPU time, -1 when unknown
	 * @param nsqdCpuNanos nsqd's CPU time, -1 when not measured
	 * @param jitMillis the JIT's accumulated compile time, -1 when unknown
	 * @param totalAllocated bytes allocated by all threads since the JVM started, -1 when
	 * {@code perThread} holds the counters instead
	 * @param perThread thread id → bytes allocated by that live thread, {@code null} when
	 * {@code totalAllocated} is used or allocation cannot be measured
	 */
	public record Snapshot(long nanoTime, long cpuNanos, long nsqdCpuNanos, long jitMillis, long totalAllocated,
			Map<Long, Long> perThread) {

		boolean allocationKnown() {
			return this.totalAllocated >= 0 || this.perThread != null;
		}

	}

	/**
	 * Resources spent per message over a window.
	 *
	 * @param cpuMicrosPerMessage the JVM's CPU time per message, µs
	 * @param allocBytesPerMessage bytes allocated by all threads per message
	 * @param nsqdCpuMicrosPerMessage nsqd's CPU time per message, µs
	 * @param jitMillis the JIT's compile time inside the window (not per message), ms
	 * @param untrackedEndedThreads threads that ended inside the window without reporting
	 * their counter (Java 17): their allocation after the window's start is missing
	 */
	public record Usage(OptionalDouble cpuMicrosPerMessage, OptionalDouble allocBytesPerMessage,
			OptionalDouble nsqdCpuMicrosPerMessage, OptionalLong jitMillis, int untrackedEndedThreads) {

		/** Nothing measured. */
		public static final Usage NONE = new Usage(OptionalDouble.empty(), OptionalDouble.empty(),
				OptionalDouble.empty(), OptionalLong.empty(), 0);

		/**
		 * The arithmetic of a window.
		 * @param start the counters at its start
		 * @param end the counters at its end
		 * @param ended for threads that ended inside the window, their last counter
		 * @param messages the messages of the window
		 * @return the usage, empty where a counter is unknown or no message was timed
		 */
		static Usage between(Snapshot start, Snapshot end, Map<Long, Long> ended, long messages) {
			if (messages <= 0) {
				return NONE;
			}
			OptionalDouble cpu = (start.cpuNanos >= 0 && end.cpuNanos >= 0)
					? OptionalDouble.of((end.cpuNanos - start.cpuNanos) / 1000.0 / messages) : OptionalDouble.empty();
			OptionalDouble nsqd = (start.nsqdCpuNanos >= 0 && end.nsqdCpuNanos >= 0)
					? OptionalDouble.of((end.nsqdCpuNanos - start.nsqdCpuNanos) / 1000.0 / messages)
					: OptionalDouble.empty();
			OptionalLong jit = (start.jitMillis >= 0 && end.jitMillis >= 0)
					? OptionalLong.of(end.jitMillis - start.jitMillis) : OptionalLong.empty();
			if (!start.allocationKnown() || !end.allocationKnown()) {
				return new Usage(cpu, OptionalDouble.empty(), nsqd, jit, 0);
			}
			if (start.totalAllocated >= 0 && end.totalAllocated >= 0) {
				return new Usage(cpu,
						OptionalDouble.of((double) (end.totalAllocated - start.totalAllocated) / messages), nsqd, jit,
						0);
			}
			long bytes = 0;
			// threads alive at the end: what they allocated since the start (or since
			// they started, inside the window)
			for (Map.Entry<Long, Long> thread : end.perThread.entrySet()) {
				bytes += thread.getValue() - start.perThread.getOrDefault(thread.getKey(), 0L);
			}
			// threads that ended inside the window: their last counter
			int untracked = 0;
			for (Map.Entry<Long, Long> thread : ended.entrySet()) {
				if (!end.perThread.containsKey(thread.getKey())) {
					bytes += thread.getValue() - start.perThread.getOrDefault(thread.getKey(), 0L);
				}
			}
			for (Long id : start.perThread.keySet()) {
				if (!end.perThread.containsKey(id) && !ended.containsKey(id)) {
					untracked++;
				}
			}
			return new Usage(cpu, OptionalDouble.of((double) bytes / messages), nsqd, jit, untracked);
		}

	}

}
