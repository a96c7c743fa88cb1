package io.github.nsqspring.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.support.ResourceMeter.Snapshot;
import io.github.nsqspring.benchmarks.support.ResourceMeter.Usage;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceMeterTests {

	@Test
	void cpuAndTotalAllocationPerMessage() {
		Snapshot start = new Snapshot(0, 5_000_000_000L, 1_000_000_000L, 1_200, 10_000, null);
		Snapshot end = new Snapshot(1, 5_017_000_000L, 1_009_000_000L, 1_237, 74_000, null);
		Usage usage = Usage.between(start, end, Map.of(), 1000);
		assertThat(usage.cpuMicrosPerMessage()).hasValue(17.0);
		assertThat(usage.nsqdCpuMicrosPerMessage()).hasValue(9.0);
		assertThat(usage.allocBytesPerMessage()).hasValue(64.0);
		assertThat(usage.jitMillis()).hasValue(37);
		assertThat(usage.untrackedEndedThreads()).isZero();
	}

	@Test
	void perThreadCountersCoverThreadsThatStartedOrEndedInsideTheWindow() {
		// thread 1 lives through the window, 2 ended and reported, 3 started inside it, 4
		// ended without reporting
		Snapshot start = new Snapshot(0, 0, -1, -1, -1, Map.of(1L, 1_000L, 2L, 500L, 4L, 700L));
		Snapshot end = new Snapshot(1, 1_000_000, -1, -1, -1, Map.of(1L, 3_000L, 3L, 400L));
		Usage usage = Usage.between(start, end, Map.of(2L, 1_100L), 10);
		// (3000 - 1000) + (1100 - 500) + 400 = 3000 bytes over 10 messages
		assertThat(usage.allocBytesPerMessage()).hasValue(300.0);
		assertThat(usage.untrackedEndedThreads()).isEqualTo(1);
		assertThat(usage.cpuMicrosPerMessage()).hasValue(100.0);
		assertThat(usage.nsqdCpuMicrosPerMessage()).isEmpty();
		assertThat(usage.jitMillis()).isEmpty();
	}

	@Test
	void unknownCountersAndEmptyWindowsGiveNoFigure() {
		Snapshot unknown = new Snapshot(0, -1, -1, -1, -1, null);
		Usage usage = Usage.between(unknown, unknown, Map.of(), 10);
		assertThat(usage.cpuMicrosPerMessage()).isEmpty();
		assertThat(usage.allocBytesPerMessage()).isEmpty();
		Snapshot known = new Snapshot(0, 1, -1, -1, 1, null);
		assertThat(Usage.between(known, known, Map.of(), 0)).isEqualTo(Usage.NONE);
	}

	@Test
	void measuresWhatThreadsAllocateIncludingOnesThatEndInsideTheWindow() throws Exception {
		assertMeasuresAllocation(ResourceMeter.create(OptionalLong.empty()));
	}

	@Test
	void perThreadCountersToo() throws Exception {
		ResourceMeter meter = ResourceMeter.perThreadCounters();
		assertThat(meter.allocationSource()).contains("per-thread");
		assertMeasuresAllocation(meter);
	}

	/**
	 * Threads left by earlier test classes in this JVM (pools winding down) would end
	 * inside the window and count as untracked: wait until the JVM's threads stayed the
	 * same for half a second (at most ten seconds).
	 */
	private static void awaitNoThreadEndingElsewhere() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		Set<Long> seen = ids(threads);
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
			Set<Long> now = ids(threads);
			if (!now.equals(seen)) {
				seen = now;
				quietSince = System.nanoTime();
			}
		}
	}

	private static Set<Long> ids(ThreadMXBean threads) {
		return LongStream.of(threads.getAllThreadIds()).boxed().collect(Collectors.toSet());
	}

	private static void assertMeasuresAllocation(ResourceMeter meter) throws Exception {
		awaitNoThreadEndingElsewhere();
		Snapshot start = meter.snapshot();
		List<byte[]> kept = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			kept.add(new byte[64 * 1024]);
		}
		Thread ending = new Thread(() -> {
			List<byte[]> own = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				own.add(new byte[64 * 1024]);
			}
			assertThat(own).hasSize(64);
			meter.threadEnding();
		}, "bench-test-allocator");
		ending.start();
		ending.join();
		Usage usage = meter.usage(start, meter.snapshot(), 1);
		assertThat(kept).hasSize(64);
		// two threads, 4 MiB each, plus what the test's and the JVM's threads allocated
		// on the side
		assertThat(usage.allocBytesPerMessage()).isPresent();
		assertThat(usage.allocBytesPerMessage().getAsDouble()).isBetween(8.0 * 1024 * 1024,
				8.0 * 1024 * 1024 + 2_000_000);
		assertThat(usage.untrackedEndedThreads()).isZero();
		assertThat(usage.cpuMicrosPerMessage()).isPresent();
	}

}
