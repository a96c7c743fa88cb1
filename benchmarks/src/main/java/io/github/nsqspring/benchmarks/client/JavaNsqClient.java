package io.github.nsqspring.benchmarks.client;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.github.brainlag.nsq.NSQConfig;
import com.github.brainlag.nsq.NSQConsumer;
import com.github.brainlag.nsq.NSQProducer;
import com.github.brainlag.nsq.ServerAddress;
import com.github.brainlag.nsq.lookup.DefaultNSQLookup;
import com.github.brainlag.nsq.lookup.NSQLookup;

import io.github.nsqspring.benchmarks.Scenario;
import io.github.nsqspring.benchmarks.support.DaemonThreads;

/**
 * com.github.brainlag:nsq-client (JavaNSQClient): one {@link NSQProducer} (it pools
 * connections per nsqd, so concurrent threads borrow several), an {@link NSQConsumer}
 * with a fixed handler pool of {@code --threads} instead of its unbounded default; the
 * handler finishes each message after the work returned.
 */
public final class JavaNsqClient implements BenchClient {

	/** The name in result lines. */
	public static final String NAME = "javansqclient";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<String> unsupported(Scenario scenario) {
		return switch (scenario) {
			case PUB_ASYNC ->
				Optional.of("JavaNSQClient has no asynchronous publish: produce() blocks until nsqd " + "answers");
			default -> Optional.empty();
		};
	}

	@Override
	public Publisher publisher(String nsqdAddress) {
		ServerAddress address = parse(nsqdAddress);
		NSQProducer producer = new NSQProducer().addAddress(address.getHost(), address.getPort()).start();
		return new Publisher() {

			@Override
			public void publish(String topic, byte[] body) throws Exception {
				producer.produce(topic, body);
			}

			@Override
			public void multiPublish(String topic, List<byte[]> bodies) throws Exception {
				producer.produceMulti(topic, bodies);
			}

			@Override
			public void close() {
				producer.shutdown();
			}

		};
	}

	@Override
	public Subscription subscribe(SubscribeSpec spec, MessageSink sink) {
		NSQConfig config = new NSQConfig();
		config.setMaxInFlight(spec.maxInFlight());
		if (spec.outputBufferSize() != null) {
			config.setOutputBufferSize(spec.outputBufferSize());
		}
		if (spec.outputBufferTimeoutMs() != null) {
			config.setOutputBufferTimeout(spec.outputBufferTimeoutMs());
		}
		NSQLookup lookup;
		if (spec.lookupd().isEmpty()) {
			lookup = new FixedLookup(parse(spec.nsqdAddress()));
		}
		else {
			lookup = new DefaultNSQLookup();
			for (String lookupd : spec.lookupd()) {
				ServerAddress address = parse(lookupd);
				lookup.addLookupAddress(address.getHost(), address.getPort());
			}
		}
		NSQConsumer consumer = new NSQConsumer(lookup, spec.topic(), spec.channel(), (message) -> {
			sink.accept(message.getMessage());
			message.finished();
		}, config);
		consumer.setExecutor(DaemonThreads.fixedPool(spec.threads(), "javansqclient-handler"));
		consumer.start();
		return consumer::shutdown;
	}

	private static ServerAddress parse(String hostPort) {
		int colon = hostPort.lastIndexOf(':');
		return new ServerAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
	}

	/**
	 * Answers every lookup with one fixed nsqd, so the consumer connects directly.
	 */
	private static final class FixedLookup implements NSQLookup {

		private final ServerAddress address;

		FixedLookup(ServerAddress address) {
			this.address = address;
		}

		@Override
		public Set<ServerAddress> lookup(String topic) {
			return Set.of(this.address);
		}

		@Override
		public void addLookupAddress(String addr, int port) {
			throw new UnsupportedOperationException("fixed nsqd address");
		}

	}

}
