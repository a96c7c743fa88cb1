package io.github.nsqspring.benchmarks.client;

import java.util.Optional;

import io.github.nsqspring.benchmarks.Scenario;

/**
 * No client library: for {@code pub-wire}, the harness writes PUBs on a socket itself, to
 * show what nsqd and this machine allow before any client adds its own cost. It runs
 * nothing else.
 */
public final class BareSocketClient implements BenchClient {

	/** The name in result lines. */
	public static final String NAME = "bare-socket";

	private static final String ONLY_PUB_WIRE = "bare-socket is no client: it runs pub-wire only";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<String> unsupported(Scenario scenario) {
		return (scenario == Scenario.PUB_WIRE) ? Optional.empty() : Optional.of(ONLY_PUB_WIRE);
	}

	@Override
	public Publisher publisher(String nsqdAddress) {
		throw new UnsupportedOperationException(ONLY_PUB_WIRE);
	}

	@Override
	public Subscription subscribe(SubscribeSpec spec, MessageSink sink) {
		throw new UnsupportedOperationException(ONLY_PUB_WIRE);
	}

}
