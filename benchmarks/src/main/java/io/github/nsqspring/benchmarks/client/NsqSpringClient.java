package io.github.nsqspring.benchmarks.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.benchmarks.Scenario;
import io.github.nsqspring.benchmarks.support.VirtualThreads;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;
import io.github.nsqspring.core.producer.NsqProducer;

/**
 * This project's client: {@link NsqProducer} and {@link NsqConsumer} of nsq-core with
 * their defaults, except what the scenario sets (max in flight, handler concurrency,
 * output buffer).
 */
public final class NsqSpringClient implements BenchClient {

	/** The name in result lines. */
	public static final String NAME = "nsq-spring";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Optional<String> unsupported(Scenario scenario) {
		return Optional.empty();
	}

	@Override
	public Publisher publisher(String nsqdAddress) {
		NsqProducer producer = NsqProducer.builder().nsqd(nsqdAddress).build();
		return new Publisher() {

			@Override
			public void publish(String topic, byte[] body) {
				producer.publish(topic, body);
			}

			@Override
			public void multiPublish(String topic, List<byte[]> bodies) {
				producer.multiPublish(topic, bodies);
			}

			@Override
			public CompletableFuture<?> publishAsync(String topic, byte[] body) {
				return producer.publishAsync(topic, body);
			}

			@Override
			public void close() {
				producer.close();
			}

		};
	}

	@Override
	public Subscription subscribe(SubscribeSpec spec, MessageSink sink) {
		NsqConsumer consumer = builder(spec).handler((message) -> sink.accept(message.body())).build();
		consumer.start();
		return () -> consumer.stop(Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);
	}

	/**
	 * The consumer builder for a scenario, without a handler.
	 * @param spec what to consume
	 * @return the builder
	 */
	static NsqConsumerBuilder builder(SubscribeSpec spec) {
		NsqConsumerBuilder builder = NsqConsumer.builder(spec.topic(), spec.channel())
			.config(config(spec))
			.concurrency(spec.threads());
		if (spec.virtualThreads()) {
			// the consumer runs its `concurrency` handler loops on this executor
			ThreadFactory virtual = VirtualThreads.factory("bench-handler");
			builder.executor((task) -> virtual.newThread(task).start());
		}
		if (spec.lookupd().isEmpty()) {
			builder.nsqd(spec.nsqdAddress());
		}
		else {
			builder.lookupd(spec.lookupd());
		}
		return builder;
	}

	/**
	 * The consumer configuration for a scenario.
	 * @param spec what to consume
	 * @return the configuration
	 */
	public static NsqConfig config(SubscribeSpec spec) {
		return NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(spec.maxInFlight()))
			.connection((connection) -> {
				if (spec.outputBufferSize() != null) {
					connection.outputBufferSize(spec.outputBufferSize());
				}
				if (spec.outputBufferTimeoutMs() != null) {
					connection.outputBufferTimeout(Duration.ofMillis(spec.outputBufferTimeoutMs()));
				}
			})
			.build();
	}

}
