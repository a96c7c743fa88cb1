package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Consumes one topic/channel from nsqd, with go-nsq's semantics: RDY shared across
 * connections up to {@code max_in_flight}, backoff on failures, automatic requeue delays,
 * {@code max_attempts}, nsqlookupd discovery and reconnection. Handler concurrency is
 * separate from {@code max_in_flight}. Build one with {@link #builder(String, String)}.
 * <p>
 * <b>Threads.</b> A started consumer keeps the JVM alive until it is stopped, as a Spring
 * Kafka listener container does: its scheduler thread
 * ({@code nsq-consumer-<topic>/<channel>}) is not a daemon, lives from {@link #start()}
 * to the end of the stop, and does not depend on which threads run the handlers (the
 * default {@code nsq-handler-…} threads are daemons, and so may be the threads of an
 * executor given to the builder, or virtual threads). A service whose only work is
 * consuming therefore stays up after {@code main} returns, and ends when something stops
 * the consumer, e.g. a shutdown hook on SIGTERM (Spring's context close does this for its
 * listener containers). The other threads are daemons: {@code nsq-consumer-io-…}
 * (connecting, nsqlookupd), one {@code nsq-reader-<nsqd>} per connection. Every one of
 * them is gone when the stop completes.
 * <p>
 * <b>Stopping</b> ({@link #stop(Duration)}, {@link #close()}) finishes what was delivered
 * instead of requeueing it, since every REQ counts as an attempt on nsqd:
 * <ol>
 * <li>it asks for nothing more: RDY 0 on every connection, then CLS;</li>
 * <li>the handlers go on with every message already delivered: those queued for a
 * handler, and those that still arrive after RDY 0; each is finished (or requeued, if its
 * handler fails) as usual, its answer flushed at once; {@link NsqMessage#touch()} keeps
 * working for slow handlers, and messages whose handler disabled auto-response may still
 * be answered by the application;</li>
 * <li>the stop ends as soon as every delivered message is answered;</li>
 * <li>at the deadline, what is still unanswered is requeued at once (REQ 0), so that
 * nothing is left to time out on nsqd: messages no handler has started, messages whose
 * handler disabled auto-response and returned without answering, and messages whose
 * handler is still running. Such a handler is interrupted and its outcome ignored (the
 * first answer wins, so its message is never finished after it was requeued); the stop
 * waits a few more seconds for it to return, then ends anyway with a warning that names
 * its thread;</li>
 * <li>the connections close. One INFO line says how many messages were finished and how
 * many requeued during the stop, and how many were left to nsqd's timeout (only messages
 * whose connection was lost before they could be answered).</li>
 * </ol>
 * <p>
 * <b>Failures.</b> A failure that retrying can heal (nsqd down, connection refused or
 * lost, nsqlookupd down or empty, timeouts) is retried in the background with backoff.
 * One that cannot (configuration that can never work, certificates, names nsqd rejects,
 * {@code E_AUTH_FAILED}, {@code E_UNAUTHORIZED}, IDENTIFY settings nsqd rejects: see
 * {@link io.github.nsqspring.core.connection.ConnectFailures}) is not retried: it is
 * logged once as an ERROR with the fix, thrown by {@link #start()} when it happens in the
 * first connection round, and reported to {@link ConsumerListener#onPermanentFailure}
 * when it happens later.
 */
public interface NsqConsumer extends AutoCloseable {

	/**
	 * The most a stop takes after its deadline (12 s): time to requeue what was being
	 * handed to a handler at the deadline, for handlers interrupted there to return, and
	 * for the connection threads to end. {@link #close()} waits at most the shutdown
	 * timeout plus this, and so should anything that waits for a stop (a Spring lifecycle
	 * phase, say). A stop usually ends within milliseconds of its deadline; only handlers
	 * that ignore their interrupt use up the grace.
	 */
	Duration STOP_GRACE = DefaultNsqConsumer.STOP_GRACE;

	/**
	 * Connect to the configured nsqd and nsqlookupd and start receiving. The first
	 * connection round is synchronous: every configured nsqd and every nsqd nsqlookupd
	 * lists is connected and subscribed before any is asked for messages. A transient
	 * failure (an nsqd or nsqlookupd that cannot be reached) does not fail this call: it
	 * is retried in the background.
	 * @throws io.github.nsqspring.core.NsqException a permanent failure of the first
	 * round (e.g. {@link io.github.nsqspring.core.NsqConfigException} for snappy without
	 * snappy-java, {@link io.github.nsqspring.core.NsqAuthException} for
	 * {@code E_UNAUTHORIZED}); others of the round are suppressed in it. Nothing is left
	 * running then: no connection, no thread, and {@link #stopFuture()} is complete.
	 * @throws IllegalStateException when started or stopped before
	 */
	void start();

	/**
	 * Stop gracefully: ask for nothing more, let the handlers finish and answer every
	 * message already delivered, requeue at the deadline what is still unanswered, then
	 * close (see the class description). Returns at once; calling it again returns the
	 * same future. May be called from a handler (not {@link #close()}, which waits).
	 * @param timeout the deadline for the handlers, from now
	 * @return a future completed when fully stopped (the same as {@link #stopFuture()}):
	 * every connection closed and every thread of the consumer ended (the scheduler
	 * thread, which completes the future, ends right after it). It completes at most a
	 * few seconds after the deadline, even if a handler never returns.
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
	 * The current counters, over the whole consumer and per nsqd.
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
	 * Stop with the builder's shutdown timeout and wait until the stop completes (at most
	 * the timeout and a few seconds more). Do not call it from a handler: the stop waits
	 * for the handlers.
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
