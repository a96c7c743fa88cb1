package io.github.nsqspring.benchmarks.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessMemoryTests {

	@Test
	void readsPeakRssFromProcStatus() {
		List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t  262144 kB",
				"VmRSS:\t  100000 kB");
		assertThat(ProcessMemory.parseVmHwmMegabytes(status)).hasValue(256);
	}

	@Test
	void readsCurrentRssFromProcStatus() {
		List<String> status = List.of("Name:\tnsqd", "VmHWM:\t  262144 kB", "VmRSS:\t  100000 kB");
		assertThat(ProcessMemory.parseVmRssMegabytes(status)).hasValue(98);
	}

	@Test
	void currentRssOfThisProcess() {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc");
		OptionalLong megabytes = ProcessMemory.rssMegabytes(ProcessHandle.current().pid());
		assertThat(megabytes).isPresent();
		assertThat(megabytes.getAsLong()).isPositive();
	}

	@Test
	void missingFieldIsEmpty() {
		assertThat(ProcessMemory.parseVmHwmMegabytes(List.of("Name:\tjava"))).isEmpty();
		assertThat(ProcessMemory.parseVmRssMegabytes(List.of("Name:\tjava"))).isEmpty();
	}

}
