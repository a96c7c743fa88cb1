package io.github.nsqspring.benchmarks.client;

import java.io.IOException;
import java.util.Optional;

import io.github.nsqspring.benchmarks.Scenario;

/**
 * No client library: the harness writes PUBs on a socket itself, to show what nsqd and
 * this machine allow before any client adds its own cost. {@code pub-wire}: one thread
 * keeps a window of PUBs unanswered; {@code pub-sync}: each caller writes its PUB and
 * parks until its answer ({@link BareSocketPublisher}). It runs nothing else.
 */
public final class BareSocketClient implements BenchClient {

	/** The name in result lines. */
	public static final String NAME = "bare-socket";

	static final String ONLY_WIRE_AND_SYNC = "bare-socket is no client: it runs pub-wire and pub-sync only";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<String> unsupported(Scenario scenario) {
		return (scenario == Scenario.PUB_WIRE || scenario == Scenario.PUB_SYNC) ? Optional.empty()
				: Optional.of(ONLY_WIRE_AND_SYNC);
	}

	@Override
	public Publisher publisher(String nsqdAddress) throws IOException {
		return new BareSocketPublisher(nsqdAddress);
	}

	@Override
	public Subscription subscribe(SubscribeSpec spec, MessageSink sink) {
		throw new UnsupportedOperationException(ONLY_WIRE_AND_SYNC);
	}

}
