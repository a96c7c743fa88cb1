package io.github.nsqspring.benchmarks.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

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

	private static void assertMeasuresAllocation(ResourceMeter meter) throws Exception {
		CountDownLatch windowOpen = new CountDownLatch(1);
		Thread ending = new Thread(() -> {
			awaitUninterruptibly(windowOpen);
			List<byte[]> own = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				own.add(new byte[64 * 1024]);
			}
			assertThat(own).hasSize(64);
			meter.threadEnding();
		}, "bench-test-allocator");
		ending.start();
		// the thread is alive at the window's start and ends inside it, reporting
		Snapshot start = meter.snapshot();
		windowOpen.countDown();
		List<byte[]> kept = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			kept.add(new byte[64 * 1024]);
		}
		ending.join();
		Snapshot end = meter.snapshot();
		Usage usage = meter.usage(start, end, 1);
		assertThat(kept).hasSize(64);
		// two threads, 4 MiB each, plus what the test's and the JVM's threads allocated
		// on the side
		assertThat(usage.allocBytesPerMessage()).isPresent();
		assertThat(usage.allocBytesPerMessage().getAsDouble()).isBetween(8.0 * 1024 * 1024,
				8.0 * 1024 * 1024 + 2_000_000);
		// threads of earlier test classes (pool threads whose idle time ran out) may end
		// inside the window too, without reporting: those, and not the thread that
		// reported, are untracked
		assertThat(usage.untrackedEndedThreads()).isEqualTo(endedWithoutReporting(start, end, ending.getId()));
		assertThat(usage.cpuMicrosPerMessage()).isPresent();
	}

	private static int endedWithoutReporting(Snapshot start, Snapshot end, long reported) {
		if (start.perThread() == null) {
			return 0;
		}
		Set<Long> ended = new HashSet<>(start.perThread().keySet());
		ended.removeAll(end.perThread().keySet());
		ended.remove(reported);
		return ended.size();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
