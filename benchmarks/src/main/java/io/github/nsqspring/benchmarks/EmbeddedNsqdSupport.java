package io.github.nsqspring.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Starts the embedded nsqd of nsq-test when no {@code --nsqd} is given.
 */
final class EmbeddedNsqdSupport {

	private EmbeddedNsqdSupport() {
	}

	static RunResult runEmbedded(PrintStream out, BiFunction<String, String, RunResult> run, BenchmarkOptions options) {
		return RunResult.failed(options.client().cliName(), options.scenario().cliName(),
				List.of("no --nsqd given and the embedded nsqd (nsq-test) is not in this build yet"));
	}

}
