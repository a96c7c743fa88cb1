package io.github.nsqspring.benchmarks;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.support.ResourceMeter.Usage;

import static org.assertj.core.api.Assertions.assertThat;

class RunResultTests {

	private static final Pattern OK_LINE = Pattern.compile("RESULT client=\\S+ scenario=\\S+ messages=\\d+ "
			+ "seconds=\\d+\\.\\d{3} msg_per_s=\\d+( p50_us=\\d+ p99_us=\\d+)?"
			+ "( cpu_us_per_msg=\\d+\\.\\d{2} alloc_bytes_per_msg=\\d+)?( nsqd_cpu_us_per_msg=\\d+\\.\\d{2})?( jit_ms=\\d+)?( rss_mb=\\d+)?");

	private static final Usage USAGE = new Usage(OptionalDouble.of(12.345), OptionalDouble.of(63.6),
			OptionalDouble.empty(), OptionalLong.empty(), 0);

	@Test
	void passingRunWithLatencyAndRss() {
		LatencyHistogram latency = new LatencyHistogram();
		for (int i = 1; i <= 100; i++) {
			latency.record(i * 1000L);
		}
		RunResult result = RunResult.ok("nsq-spring", "pub-sync", 200_000, 2_000_000_000L, latency, USAGE,
				OptionalLong.of(123));
		assertThat(result.toLine()).isEqualTo("RESULT client=nsq-spring scenario=pub-sync messages=200000 "
				+ "seconds=2.000 msg_per_s=100000 p50_us=50 p99_us=99 cpu_us_per_msg=12.35 alloc_bytes_per_msg=64 "
				+ "rss_mb=123");
		assertThat(result.toLine()).matches(OK_LINE);
		assertThat(result.exitCode()).isZero();
	}

	@Test
	void fieldsThatWereNotMeasuredAreLeftOut() {
		RunResult result = RunResult.ok("nsq-j", "consume", 3, 1_500_000_000L, null, Usage.NONE, OptionalLong.empty());
		assertThat(result.toLine())
			.isEqualTo("RESULT client=nsq-j scenario=consume messages=3 seconds=1.500 msg_per_s=2");
		assertThat(result.toLine()).matches(OK_LINE);
	}

	@Test
	void nsqdCpuAndJitTimeFollowTheClientsOwnFigures() {
		Usage usage = new Usage(OptionalDouble.of(17.0), OptionalDouble.of(40), OptionalDouble.of(9.125),
				OptionalLong.of(12), 0);
		RunResult result = RunResult.ok("nsq-spring", "pub-sync", 100, 1_000_000_000L, null, usage,
				OptionalLong.empty());
		assertThat(result.toLine())
			.endsWith("msg_per_s=100 cpu_us_per_msg=17.00 alloc_bytes_per_msg=40 nsqd_cpu_us_per_msg=9.13 jit_ms=12");
		assertThat(result.toLine()).matches(OK_LINE);
	}

	@Test
	void failedRunSaysWhyAndExitsNonZero() {
		RunResult result = RunResult.ok("nsq-j", "mpub", 10, 1, null, USAGE, OptionalLong.of(1))
			.failedAlso(List.of("lost 2 messages", "client acknowledged 8 of 10 publishes"));
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).isEqualTo(
				"RESULT client=nsq-j scenario=mpub FAILED lost 2 messages; client acknowledged 8 of 10 publishes");
		assertThat(result.toLine()).doesNotContain("msg_per_s");
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void noProblemsKeepsThePassingResult() {
		RunResult result = RunResult.ok("nsq-j", "mpub", 10, 1, null, USAGE, OptionalLong.empty());
		assertThat(result.failedAlso(List.of())).isSameAs(result);
	}

	@Test
	void unsupportedIsMarkedAndNeverTurnsIntoAFailure() {
		RunResult result = RunResult.unsupported("javansqclient", "pub-async", "no asynchronous publish");
		assertThat(result.toLine())
			.isEqualTo("RESULT client=javansqclient scenario=pub-async unsupported no asynchronous publish");
		assertThat(result.failedAlso(List.of("x")).status()).isEqualTo(RunResult.Status.UNSUPPORTED);
		assertThat(result.exitCode()).isEqualTo(3);
	}

}
