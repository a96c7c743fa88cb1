package io.github.nsqspring.benchmarks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process on this machine (nsqd), from {@code /proc/<pid>/stat}.
 */
public final class ProcessCpu {

	/**
	 * Clock ticks per second of the times in {@code /proc/<pid>/stat}: USER_HZ, which
	 * Linux fixes at 100 for user space on every mainstream architecture
	 * ({@code getconf CLK_TCK}).
	 */
	static final long TICKS_PER_SECOND = 100;

	private final long pid;

	private final Path stat;

	/**
	 * A process to measure.
	 * @param pid its process id
	 */
	public ProcessCpu(long pid) {
		this.pid = pid;
		this.stat = Path.of("/proc", Long.toString(pid), "stat");
	}

	/**
	 * The process's CPU time so far, user and system, all its threads.
	 * @return nanoseconds, in steps of 10 ms
	 * @throws IllegalArgumentException when the process cannot be read
	 */
	public long cpuNanos() {
		try {
			return parseCpuNanos(Files.readString(this.stat));
		}
		catch (IOException | UncheckedIOException ex) {
			throw new IllegalArgumentException("cannot read the CPU time of process " + this.pid + " from " + this.stat
					+ " (is --nsqd-pid nsqd's process id on this machine?): " + ex.getMessage(), ex);
		}
	}

	/**
	 * {@link #cpuNanos()}, or -1 when the process cannot be read (it ended).
	 * @return nanoseconds or -1
	 */
	long cpuNanosOrMinusOne() {
		try {
			return cpuNanos();
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
	}

	/**
	 * utime + stime of a {@code /proc/<pid>/stat} line. The second field, the command
	 * name, is in parentheses and may itself hold spaces and parentheses, so fields are
	 * counted from the last {@code ')'}.
	 * @param line the file's content
	 * @return nanoseconds
	 * @throws IllegalArgumentException when the line is not a stat line
	 */
	static long parseCpuNanos(String line) {
		int end = line.lastIndexOf(')');
		if (end < 0) {
			throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
		}
		// after the command: state (field 3) ... utime (14), stime (15)
		String[] fields = line.substring(end + 1).trim().split("\\s+");
		if (fields.length < 13) {
			throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
		}
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * (1_000_000_000L / TICKS_PER_SECOND);
	}

}
