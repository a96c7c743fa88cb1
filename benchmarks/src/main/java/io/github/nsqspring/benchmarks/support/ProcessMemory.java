package io.github.nsqspring.benchmarks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Peak resident set size of this process, from {@code /proc/self/status} ({@code VmHWM}).
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
	 * Read {@code VmHWM} from the lines of a {@code /proc/<pid>/status} file.
	 * @param lines the file's lines
	 * @return megabytes (MiB, rounded), empty when the field is missing
	 */
	public static OptionalLong parseVmHwmMegabytes(List<String> lines) {
		for (String line : lines) {
			if (line.startsWith("VmHWM:")) {
				String[] parts = line.substring(6).trim().split("\\s+");
				long kilobytes = Long.parseLong(parts[0]);
				return OptionalLong.of(Math.round(kilobytes / 1024.0));
			}
		}
		return OptionalLong.empty();
	}

}
