package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.github.nsqspring.benchmarks.support.ResourceMeter.Usage;

/**
 * The outcome of one run and its {@code RESULT} line: the last line a run prints, one of
 * <pre>
 * RESULT client=&lt;name&gt; scenario=&lt;name&gt; messages=&lt;n&gt; seconds=&lt;s&gt; msg_per_s=&lt;x&gt; [p50_us=&lt;n&gt; p99_us=&lt;n&gt;]
 *        cpu_us_per_msg=&lt;x&gt; alloc_bytes_per_msg=&lt;n&gt; [nsqd_cpu_us_per_msg=&lt;x&gt;] [jit_ms=&lt;n&gt;] [rss_mb=&lt;n&gt;]
 * RESULT client=&lt;name&gt; scenario=&lt;name&gt; FAILED &lt;reason&gt;
 * RESULT client=&lt;name&gt; scenario=&lt;name&gt; unsupported &lt;reason&gt;
 * </pre> Latency fields appear when the scenario measured latency; {@code cpu_us_per_msg}
 * (the JVM's process CPU time over the timed window ÷ its messages) and
 * {@code alloc_bytes_per_msg} (bytes allocated by all threads over the window ÷ its
 * messages) when the JVM reports them (HotSpot does); {@code nsqd_cpu_us_per_msg} with
 * {@code --nsqd-pid}; {@code jit_ms} (the JIT compiler's time inside the window, in
 * milliseconds, not per message: near 0 when the warm-up did its job) when the JVM
 * reports it; {@code rss_mb} when {@code /proc/self/status} could be read. The window is
 * the one {@code msg_per_s} is timed over.
 *
 * @param client the client name
 * @param scenario the scenario name
 * @param status whether the run passed, failed its checks or could not run
 * @param messages messages in the timed part
 * @param nanos duration of the timed part
 * @param p50Micros median latency, empty when not measured
 * @param p99Micros 99th percentile latency, empty when not measured
 * @param usage CPU and allocation per message over the timed window
 * @param rssMegabytes peak resident set size of this JVM, empty when unknown
 * @param reasons why the run failed or is unsupported
 */
public record RunResult(String client, String scenario, Status status, long messages, long nanos,
		OptionalLong p50Micros, OptionalLong p99Micros, Usage usage, OptionalLong rssMegabytes, List<String> reasons) {

	/** How a run ended. */
	public enum Status {

		/** Ran and its counts checked out. */
		OK,

		/** Ran, but lost or duplicated messages, or could not finish. */
		FAILED,

		/** The client cannot do what the scenario needs. */
		UNSUPPORTED

	}

	/**
	 * A run that passed its checks.
	 * @param client the client name
	 * @param scenario the scenario name
	 * @param messages messages in the timed part
	 * @param nanos duration of the timed part
	 * @param latency the latencies measured, or {@code null}
	 * @param usage CPU and allocation per message over the timed window
	 * @param rssMegabytes peak RSS, or empty
	 * @return the result
	 */
	public static RunResult ok(String client, String scenario, long messages, long nanos, LatencyHistogram latency,
			Usage usage, OptionalLong rssMegabytes) {
		OptionalLong p50 = OptionalLong.empty();
		OptionalLong p99 = OptionalLong.empty();
		if (latency != null && latency.count() > 0) {
			p50 = OptionalLong.of(latency.percentileNanos(50) / 1000);
			p99 = OptionalLong.of(latency.percentileNanos(99) / 1000);
		}
		return new RunResult(client, scenario, Status.OK, messages, nanos, p50, p99, usage, rssMegabytes, List.of());
	}

	/**
	 * A run that failed.
	 * @param client the client name
	 * @param scenario the scenario name
	 * @param reasons what went wrong
	 * @return the result
	 */
	public static RunResult failed(String client, String scenario, List<String> reasons) {
		return new RunResult(client, scenario, Status.FAILED, 0, 0, OptionalLong.empty(), OptionalLong.empty(),
				Usage.NONE, OptionalLong.empty(), List.copyOf(reasons));
	}

	/**
	 * A run the client cannot do.
	 * @param client the client name
	 * @param scenario the scenario name
	 * @param reason why
	 * @return the result
	 */
	public static RunResult unsupported(String client, String scenario, String reason) {
		return new RunResult(client, scenario, Status.UNSUPPORTED, 0, 0, OptionalLong.empty(), OptionalLong.empty(),
				Usage.NONE, OptionalLong.empty(), List.of(reason));
	}

	/**
	 * The same result, failed for more reasons (a passing result becomes a failure).
	 * @param more further reasons; none leaves the result as it is
	 * @return the result
	 */
	public RunResult failedAlso(List<String> more) {
		if (more.isEmpty() || this.status == Status.UNSUPPORTED) {
			return this;
		}
		List<String> all = new ArrayList<>(this.reasons);
		all.addAll(more);
		return failed(this.client, this.scenario, all);
	}

	/**
	 * Messages per second of the timed part.
	 * @return the rate, 0 when nothing was timed
	 */
	public double messagesPerSecond() {
		return (this.nanos > 0) ? this.messages * 1e9 / this.nanos : 0;
	}

	/**
	 * The process exit code for this result: 0 passed, 1 failed, 3 unsupported.
	 * @return the exit code
	 */
	public int exitCode() {
		return switch (this.status) {
			case OK -> 0;
			case FAILED -> 1;
			case UNSUPPORTED -> 3;
		};
	}

	/**
	 * The {@code RESULT} line.
	 * @return the line, without a line break
	 */
	public String toLine() {
		StringBuilder line = new StringBuilder("RESULT client=").append(this.client)
			.append(" scenario=")
			.append(this.scenario);
		switch (this.status) {
			case FAILED -> line.append(" FAILED ").append(String.join("; ", this.reasons));
			case UNSUPPORTED -> line.append(" unsupported ").append(String.join("; ", this.reasons));
			case OK -> {
				line.append(" messages=").append(this.messages);
				line.append(" seconds=").append(String.format(Locale.ROOT, "%.3f", this.nanos / 1e9));
				line.append(" msg_per_s=").append(Math.round(messagesPerSecond()));
				this.p50Micros.ifPresent((v) -> line.append(" p50_us=").append(v));
				this.p99Micros.ifPresent((v) -> line.append(" p99_us=").append(v));
				appendDecimal(line, "cpu_us_per_msg", this.usage.cpuMicrosPerMessage());
				this.usage.allocBytesPerMessage()
					.ifPresent((v) -> line.append(" alloc_bytes_per_msg=").append(Math.round(v)));
				appendDecimal(line, "nsqd_cpu_us_per_msg", this.usage.nsqdCpuMicrosPerMessage());
				this.usage.jitMillis().ifPresent((v) -> line.append(" jit_ms=").append(v));
				this.rssMegabytes.ifPresent((v) -> line.append(" rss_mb=").append(v));
			}
		}
		return line.toString();
	}

	private static void appendDecimal(StringBuilder line, String name, OptionalDouble value) {
		value.ifPresent((v) -> line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.2f", v)));
	}

}
