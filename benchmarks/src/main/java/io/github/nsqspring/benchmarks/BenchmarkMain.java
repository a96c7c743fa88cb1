package io.github.nsqspring.benchmarks;

import java.io.PrintStream;

import io.github.nsqspring.benchmarks.client.BareSocketClient;
import io.github.nsqspring.benchmarks.client.BenchClient;
import io.github.nsqspring.benchmarks.client.JavaNsqClient;
import io.github.nsqspring.benchmarks.client.NsqJClient;
import io.github.nsqspring.benchmarks.client.NsqSpringClient;

/**
 * {@code java -jar nsq-spring-benchmarks.jar <scenario> [flags]}: runs one scenario for
 * one client and prints a {@code RESULT} line last. Exit code 0 when the run passed its
 * checks, 1 when it failed them (lost or duplicated messages, errors), 2 for a bad
 * command line, 3 when the client cannot do the scenario.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	/**
	 * Entry point.
	 * @param args the command line
	 */
	public static void main(String[] args) {
		int code = run(System.out, args);
		System.out.flush();
		// peers leave non-daemon threads behind; the run is over
		System.exit(code);
	}

	/**
	 * Parse, run and print.
	 * @param out where progress and the result line go
	 * @param args the command line
	 * @return the exit code
	 */
	public static int run(PrintStream out, String... args) {
		BenchmarkOptions options;
		try {
			options = BenchmarkOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			out.println("error: " + ex.getMessage());
			out.print(BenchmarkOptions.USAGE);
			return 2;
		}
		BenchmarkRunner runner = new BenchmarkRunner(out, BenchmarkMain::client, new SpringLayerSupport());
		RunResult result;
		if (options.nsqd() != null) {
			result = runner.run(options, options.nsqd(), options.httpAddressFor(options.nsqd()));
		}
		else {
			result = EmbeddedNsqdSupport.runEmbedded(out, (tcp, http) -> runner.run(options, tcp, http));
		}
		out.println(result.toLine());
		return result.exitCode();
	}

	/**
	 * The adapter for a client kind.
	 * @param kind the kind
	 * @return a new adapter
	 */
	public static BenchClient client(ClientKind kind) {
		return switch (kind) {
			case NSQ_SPRING -> new NsqSpringClient();
			case NSQ_J -> new NsqJClient();
			case JAVANSQCLIENT -> new JavaNsqClient();
			case BARE_SOCKET -> new BareSocketClient();
		};
	}

}
