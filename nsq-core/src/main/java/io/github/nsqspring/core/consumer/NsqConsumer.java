package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Consumes one topic/channel from nsqd, with go-nsq's semantics: RDY shared across
 * connections up to {@code max_in_flight}, backoff on failures, automatic requeue delays,
 * {@code max_attempts}, nsqlookupd discovery and reconnection. Handler concurrency is
 * separate from {@code max_in_flight}. Build one with {@link #builder(String, String)}.
 */
public interface NsqConsumer extends AutoCloseable {

	/**
	 * Connect to the configured nsqd and nsqlookupd and start receiving. An unreachable
	 * nsqd or nsqlookupd does not fail this call: it is retried in the background.
	 */
	void start();

	/**
	 * Stop gracefully: stop asking for messages, let in-flight handlers finish up to the
	 * timeout, finish or requeue each message, then close the connections.
	 * @param timeout longest wait for in-flight handlers
	 * @return a future completed when fully stopped (the same as {@link #stopFuture()})
	 */
	CompletableFuture<Void> stop(Duration timeout);

	/**
	 * A future completed when the consumer has fully stopped.
	 * @return the future
	 */
	CompletableFuture<Void> stopFuture();

	/**
	 * Change {@code max_in_flight}; 0 pauses delivery, a positive value resumes it.
	 * @param maxInFlight 0 or more
	 */
	void changeMaxInFlight(int maxInFlight);

	/**
	 * The current counters.
	 * @return a snapshot
	 */
	ConsumerStats stats();

	/**
	 * Whether any connection has in-flight messages at or above 85% of its RDY count.
	 * @return {@code true} when starved
	 */
	boolean isStarved();

	/**
	 * The topic.
	 * @return the topic name
	 */
	String topic();

	/**
	 * The channel.
	 * @return the channel name
	 */
	String channel();

	/**
	 * Stop with the default shutdown timeout and wait for it.
	 */
	@Override
	void close();

	/**
	 * A builder for a consumer of a topic and channel.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @return a new builder
	 */
	static NsqConsumerBuilder builder(String topic, String channel) {
		return new NsqConsumerBuilder(topic, channel);
	}

}
