package com.sproutsocial.nsq;

import java.util.Set;

/**
 * A shim for the benchmarks only: nsq-j 1.2's {@link DirectSubscriber} always uses the
 * JVM-wide default {@link Client}, whose executor can be set once and whose threads die
 * for good on {@code stop()}. This subscriber does what DirectSubscriber does (connects
 * to fixed nsqd addresses, no lookupd) on a client of the caller's, so each benchmark run
 * has its own client and handler pool. It lives in nsq-j's package because
 * {@link HostAndPort} is package-private.
 */
public class BenchmarkDirectSubscriber extends Subscriber {

	private final Set<HostAndPort> nsqd;

	/**
	 * Create a subscriber.
	 * @param client the client whose threads and executor to use
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 */
	public BenchmarkDirectSubscriber(Client client, String nsqdAddress) {
		super(client, 60, 5);
		this.nsqd = Set.of(HostAndPort.fromString(nsqdAddress).withDefaultPort(4150));
	}

	@Override
	protected Set<HostAndPort> lookupTopic(String topic) {
		return this.nsqd;
	}

}
