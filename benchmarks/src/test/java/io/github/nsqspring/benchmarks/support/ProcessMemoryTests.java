package io.github.nsqspring.benchmarks.support;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTests {

	@Test
	void readsPeakRssFromProcStatus() {
		List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmHWM:\t  262144 kB",
				"VmRSS:\t  100000 kB");
		assertThat(ProcessMemory.parseVmHwmMegabytes(status)).hasValue(256);
	}

	@Test
	void missingFieldIsEmpty() {
		assertThat(ProcessMemory.parseVmHwmMegabytes(List.of("Name:\tjava"))).isEmpty();
	}

}
