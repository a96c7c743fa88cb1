package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.core.config.NsqProducerConfig;

/**
 * Publishes messages to nsqd. Thread-safe: many threads may publish through one producer
 * at once, and their commands share connections and flushes (pipelining: a command does
 * not wait for the answer to the previous one).
 * <p>
 * A future completes normally only after nsqd answered {@code OK}: the message is then on
 * nsqd. It completes exceptionally with:
 * <ul>
 * <li>{@link io.github.nsqspring.core.NsqInvalidNameException} or
 * {@link io.github.nsqspring.core.NsqInvalidMessageException} for bad input, before
 * anything is sent (other callers are not affected);</li>
 * <li>{@link io.github.nsqspring.core.NsqProtocolException} when nsqd answered with an
 * error;</li>
 * <li>{@link io.github.nsqspring.core.NsqConnectionException} when the connection was
 * lost before the answer: the message may or may not have reached nsqd;</li>
 * <li>{@link io.github.nsqspring.core.NsqTimeoutException} when no room among pending
 * commands freed up in time;</li>
 * <li>{@link ProducerClosedException} after {@link #close()}.</li>
 * </ul>
 * Build one with {@link #builder()}.
 */
public interface NsqProducer extends AutoCloseable {

	/**
	 * Publish one message (PUB) and wait for nsqd's answer.
	 * @param topic a valid topic name
	 * @param body the message, not empty
	 * @return where it was published
	 */
	default PublishResult publish(String topic, byte[] body) {
		return Futures.await(publishAsync(topic, body), NsqProducerConfig.DEFAULT_SYNC_WAIT_SPIN.toNanos());
	}

	/**
	 * Publish one message (PUB) without waiting.
	 * @param topic a valid topic name
	 * @param body the message, not empty
	 * @return a future completed when nsqd answered
	 */
	CompletableFuture<PublishResult> publishAsync(String topic, byte[] body);

	/**
	 * Publish several messages atomically (MPUB) and wait for nsqd's answer.
	 * @param topic a valid topic name
	 * @param bodies the messages, at least one, none empty
	 * @return where they were published
	 */
	default PublishResult multiPublish(String topic, List<byte[]> bodies) {
		return Futures.await(multiPublishAsync(topic, bodies), NsqProducerConfig.DEFAULT_SYNC_WAIT_SPIN.toNanos());
	}

	/**
	 * Publish several messages atomically (MPUB) without waiting.
	 * @param topic a valid topic name
	 * @param bodies the messages, at least one, none empty
	 * @return a future completed when nsqd answered
	 */
	CompletableFuture<PublishResult> multiPublishAsync(String topic, List<byte[]> bodies);

	/**
	 * Publish a message delivered only after a delay (DPUB) and wait for nsqd's answer.
	 * @param topic a valid topic name
	 * @param delay the delay, whole milliseconds, 0 to nsqd's max-req-timeout (1h by
	 * default)
	 * @param body the message, not empty
	 * @return where it was published
	 */
	default PublishResult deferredPublish(String topic, Duration delay, byte[] body) {
		return Futures.await(deferredPublishAsync(topic, delay, body),
				NsqProducerConfig.DEFAULT_SYNC_WAIT_SPIN.toNanos());
	}

	/**
	 * Publish a message delivered only after a delay (DPUB) without waiting.
	 * @param topic a valid topic name
	 * @param delay the delay
	 * @param body the message, not empty
	 * @return a future completed when nsqd answered
	 */
	CompletableFuture<PublishResult> deferredPublishAsync(String topic, Duration delay, byte[] body);

	/**
	 * Check connectivity: connect if needed and send NOP.
	 * @throws io.github.nsqspring.core.NsqConnectionException when no nsqd can be reached
	 */
	void ping();

	/**
	 * A snapshot of this producer's counters: messages published and failed, publish
	 * calls awaiting an answer, and per nsqd its connection state, counts and last error.
	 * Cheap enough to call on every scrape or actuator request: it reads counters the
	 * producer keeps anyway and takes no lock that publishing takes. Works after
	 * {@link #close()} too (the nodes are then {@code CLOSED}).
	 * @return the snapshot
	 */
	ProducerStats stats();

	/**
	 * Wait (up to the configured close timeout) for answers already owed, fail what is
	 * left with {@link ProducerClosedException}, and close the connections. Idempotent;
	 * every later call fails at once.
	 */
	@Override
	void close();

	/**
	 * A builder for a producer over one or several nsqd.
	 * @return a new builder
	 */
	static NsqProducerBuilder builder() {
		return new NsqProducerBuilder();
	}

}
