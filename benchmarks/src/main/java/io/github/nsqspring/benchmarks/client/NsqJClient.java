package io.github.nsqspring.benchmarks.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.sproutsocial.nsq.BenchmarkDirectSubscriber;
import com.sproutsocial.nsq.Client;
import com.sproutsocial.nsq.Config;

import com.sproutsocial.nsq.Subscriber;

import io.github.nsqspring.benchmarks.Scenario;
import io.github.nsqspring.benchmarks.support.DaemonThreads;

/**
 * com.sproutsocial:nsq-j: one {@link com.sproutsocial.nsq.Publisher} (its methods are
 * {@code synchronized}, one connection), a direct subscriber (or a lookupd
 * {@link Subscriber}) on a {@link Client} of its own, with a fixed handler pool of
 * {@code --threads}; the handler finishes each message after the work returned.
 */
public final class NsqJClient implements BenchClient {

	/** The name in result lines. */
	public static final String NAME = "nsq-j";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<String> unsupported(Scenario scenario) {
		return switch (scenario) {
			case PUB_ASYNC -> Optional.of("nsq-j has no asynchronous publish: Publisher methods are synchronized and "
					+ "block until nsqd answers (publishBuffered gives no per-message outcome)");
			default -> Optional.empty();
		};
	}

	@Override
	public BenchClient.Publisher publisher(String nsqdAddress) {
		Client client = new Client();
		com.sproutsocial.nsq.Publisher publisher = new com.sproutsocial.nsq.Publisher(client, nsqdAddress, null);
		return new BenchClient.Publisher() {

			@Override
			public void publish(String topic, byte[] body) {
				publisher.publish(topic, body);
			}

			@Override
			public void multiPublish(String topic, List<byte[]> bodies) {
				publisher.publish(topic, bodies);
			}

			@Override
			public void close() {
				publisher.stop();
				client.stop();
			}

		};
	}

	@Override
	public Subscription subscribe(SubscribeSpec spec, MessageSink sink) {
		Client client = new Client();
		client.setExecutor(DaemonThreads.fixedPool(spec.threads(), "nsq-j-handler"));
		Subscriber subscriber = spec.lookupd().isEmpty() ? new BenchmarkDirectSubscriber(client, spec.nsqdAddress())
				: new Subscriber(client, 60, 5, spec.lookupd().toArray(String[]::new));
		Config config = new Config();
		if (spec.outputBufferSize() != null) {
			config.setOutputBufferSize(spec.outputBufferSize());
		}
		if (spec.outputBufferTimeoutMs() != null) {
			config.setOutputBufferTimeout(spec.outputBufferTimeoutMs());
		}
		subscriber.setConfig(config);
		subscriber.subscribe(spec.topic(), spec.channel(), spec.maxInFlight(), (message) -> {
			sink.accept(message.getData());
			message.finish();
		});
		return () -> {
			subscriber.stop();
			client.stop((int) TimeUnit.SECONDS.toMillis(10));
		};
	}

}
