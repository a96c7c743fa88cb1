package io.github.nsqspring.benchmarks;

import java.io.PrintStream;
import java.util.function.BiFunction;

import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.nsqd.EmbeddedNsqd;

/**
 * Starts the embedded nsqd of nsq-test when no {@code --nsqd} is given. It is a test
 * double in this JVM: its numbers show the harness works, they say nothing about real
 * nsqd, and the peak RSS includes it.
 */
final class EmbeddedNsqdSupport {

	private EmbeddedNsqdSupport() {
	}

	static RunResult runEmbedded(PrintStream out, BiFunction<String, String, RunResult> run) {
		try (EmbeddedNsqd nsqd = EmbeddedNsqd.start(NsqdOptions.DEFAULTS)) {
			out.printf(
					"no --nsqd given: started the embedded nsqd of nsq-test (in this JVM, a test double, "
							+ "not real nsqd; rss_mb includes it) at %s, http %s%n",
					nsqd.tcpAddress(), nsqd.httpAddress());
			return run.apply(nsqd.tcpAddress(), nsqd.httpAddress());
		}
	}

}
