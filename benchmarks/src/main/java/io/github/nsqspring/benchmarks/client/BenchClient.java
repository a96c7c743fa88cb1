package io.github.nsqspring.benchmarks.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.benchmarks.Scenario;

/**
 * One NSQ client as the harness drives it. Each scenario uses only these calls, so every
 * client does the same work; what a client cannot do is declared by
 * {@link #unsupported(Scenario)} instead of being imitated.
 */
public interface BenchClient {

	/**
	 * The client's name in result lines.
	 * @return the name
	 */
	String name();

	/**
	 * Why this client cannot run a scenario.
	 * @param scenario the scenario
	 * @return the reason, empty when the client can run it
	 */
	Optional<String> unsupported(Scenario scenario);

	/**
	 * Open one producer for nsqd; all publishing threads of a run share it.
	 * @param nsqdAddress nsqd TCP {@code host:port}
	 * @return the producer
	 * @throws Exception when the client cannot create it
	 */
	Publisher publisher(String nsqdAddress) throws Exception;

	/**
	 * Start consuming.
	 * @param spec what to consume and how
	 * @param sink called by the handler with each body; the message is finished after it
	 * returns
	 * @return the running consumer
	 * @throws Exception when the client cannot start it
	 */
	Subscription subscribe(SubscribeSpec spec, MessageSink sink) throws Exception;

	/**
	 * A producer shared by every publishing thread.
	 */
	interface Publisher extends AutoCloseable {

		/**
		 * Publish one message and wait for nsqd's answer.
		 * @param topic the topic
		 * @param body the body
		 * @throws Exception when the publish failed
		 */
		void publish(String topic, byte[] body) throws Exception;

		/**
		 * Publish a batch with one MPUB and wait for nsqd's answer.
		 * @param topic the topic
		 * @param bodies the bodies
		 * @throws Exception when the publish failed
		 */
		void multiPublish(String topic, List<byte[]> bodies) throws Exception;

		/**
		 * Publish one message without waiting.
		 * @param topic the topic
		 * @param body the body
		 * @return completes when nsqd answered
		 * @throws UnsupportedOperationException when the client has no asynchronous
		 * publish (see {@link BenchClient#unsupported(Scenario)})
		 */
		default CompletableFuture<?> publishAsync(String topic, byte[] body) {
			throw new UnsupportedOperationException("no asynchronous publish");
		}

	}

	/**
	 * A running consumer.
	 */
	interface Subscription {

		/**
		 * Stop consuming and release the client's resources.
		 * @throws Exception when stopping failed
		 */
		void stop() throws Exception;

	}

	/**
	 * Receives bodies on the client's handler threads.
	 */
	@FunctionalInterface
	interface MessageSink {

		/**
		 * Handle one message.
		 * @param body the body
		 */
		void accept(byte[] body);

	}

	/**
	 * What to consume and how.
	 *
	 * @param nsqdAddress nsqd TCP {@code host:port} (used when {@code lookupd} is empty)
	 * @param lookupd nsqlookupd HTTP addresses, empty to connect to nsqd directly
	 * @param topic the topic
	 * @param channel the channel
	 * @param maxInFlight max in flight
	 * @param threads handler threads
	 * @param outputBufferSize IDENTIFY output_buffer_size, {@code null} for the client's
	 * default
	 * @param outputBufferTimeoutMs IDENTIFY output_buffer_timeout in ms, {@code null} for
	 * the client's default
	 * @param virtualThreads handlers run on virtual threads (nsq-spring only)
	 */
	record SubscribeSpec(String nsqdAddress, List<String> lookupd, String topic, String channel, int maxInFlight,
			int threads, Integer outputBufferSize, Integer outputBufferTimeoutMs, boolean virtualThreads) {
	}

}
