package io.github.nsqspring.benchmarks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Resident set sizes from {@code /proc/<pid>/status}: this process's peak
 * ({@code VmHWM}), and another process's current size ({@code VmRSS}, for nsqd).
 */
public final class ProcessMemory {

	private ProcessMemory() {
	}

	/**
	 * Peak RSS of this JVM so far.
	 * @return megabytes (MiB), empty where {@code /proc} is not available
	 */
	public static OptionalLong peakRssMegabytes() {
		try {
			return parseVmHwmMegabytes(Files.readAllLines(Path.of("/proc/self/status")));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * Current RSS of a process on this machine.
	 * @param pid the process
	 * @return megabytes (MiB), empty where its {@code /proc} entry cannot be read
	 */
	public static OptionalLong rssMegabytes(long pid) {
		try {
			return parseVmRssMegabytes(Files.readAllLines(Path.of("/proc/" + pid + "/status")));
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	/**
	 * Read {@code VmHWM} from the lines of a {@code /proc/<pid>/status} file.
	 * @param lines the file's lines
	 * @return megabytes (MiB, rounded), empty when the field is missing
	 */
	public static OptionalLong parseVmHwmMegabytes(List<String> lines) {
		return parseMegabytes(lines, "VmHWM:");
	}

	/**
	 * Read {@code VmRSS} from the lines of a {@code /proc/<pid>/status} file.
	 * @param lines the file's lines
	 * @return megabytes (MiB, rounded), empty when the field is missing
	 */
	public static OptionalLong parseVmRssMegabytes(List<String> lines) {
		return parseMegabytes(lines, "VmRSS:");
	}

	private static OptionalLong parseMegabytes(List<String> lines, String field) {
		for (String line : lines) {
			if (line.startsWith(field)) {
				String[] parts = line.substring(field.length()).trim().split("\\s+");
				long kilobytes = Long.parseLong(parts[0]);
				return OptionalLong.of(Math.round(kilobytes / 1024.0));
			}
		}
		return OptionalLong.empty();
	}

}
