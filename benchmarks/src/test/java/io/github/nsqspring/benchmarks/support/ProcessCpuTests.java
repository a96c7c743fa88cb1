package io.github.nsqspring.benchmarks.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProcessCpuTests {

	@Test
	void addsUserAndSystemTicksOfTenMilliseconds() {
		// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt
		// cmajflt
		// utime stime ...
		String line = "4242 (nsqd) S 1 4242 4242 0 -1 4194560 1200 0 3 0 1234 566 7 8 20 0 12 0 99 0 0";
		assertThat(ProcessCpu.parseCpuNanos(line)).isEqualTo((1234 + 566) * 10_000_000L);
	}

	@Test
	void commandNamesWithSpacesAndParenthesesDoNotShiftTheFields() {
		String line = "77 (my (odd) nsqd) R 1 77 77 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 5 0 0";
		assertThat(ProcessCpu.parseCpuNanos(line)).isEqualTo(300 * 10_000_000L);
	}

	@Test
	void aTruncatedLineIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProcessCpu.parseCpuNanos("77 (nsqd) R 1 2"))
			.withMessageContaining("not a /proc/<pid>/stat line");
	}

	@Test
	void readsARunningProcessAndNamesAMissingOne() {
		long self = ProcessHandle.current().pid();
		assertThat(new ProcessCpu(self).cpuNanos()).isPositive();
		assertThatIllegalArgumentException().isThrownBy(() -> new ProcessCpu(Integer.MAX_VALUE).cpuNanos())
			.withMessageContaining("process " + Integer.MAX_VALUE)
			.withMessageContaining("--nsqd-pid");
	}

}
