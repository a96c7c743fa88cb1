package io.github.nsqspring.core.consumer;

import java.util.List;

/**
 * A snapshot of a consumer's counters. Taking one costs a few locks and a walk over the
 * connections, nothing on the message path.
 *
 * @param received messages received from nsqd
 * @param finished messages finished (FIN), including those discarded after max attempts
 * @param requeued messages requeued (REQ)
 * @param failed messages that exceeded max attempts (each delivery counts)
 * @param inFlight messages received and not yet answered
 * @param connections open nsqd connections
 * @param responseErrors non-fatal {@code E_FIN_FAILED}, {@code E_REQ_FAILED} and
 * {@code E_TOUCH_FAILED} answers from nsqd (typically a response after the message's
 * in-flight timeout, so the message is delivered again)
 * @param rdy the sum of the RDY counts currently sent on the open connections (at most
 * {@code max_in_flight}; 0 while paused or backing off)
 * @param failedMessageHandlerErrors times the {@link FailedMessageHandler} threw, so that
 * the message it was given was requeued instead of finished
 * @param nsqd every nsqd the consumer is connected to, connecting to or gave up on, with
 * its own counts ({@link ConnectionStats}); connected ones first
 */
public record ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections,
		long responseErrors, long rdy, long failedMessageHandlerErrors, List<ConnectionStats> nsqd) {

	/**
	 * A snapshot; the list of nsqd is copied.
	 * @param received messages received from nsqd
	 * @param finished messages finished
	 * @param requeued messages requeued
	 * @param failed messages that exceeded max attempts
	 * @param inFlight messages received and not yet answered
	 * @param connections open nsqd connections
	 * @param responseErrors non-fatal response errors from nsqd
	 * @param rdy the sum of the RDY counts
	 * @param failedMessageHandlerErrors times the failed-message handler threw
	 * @param nsqd the nsqd, each with its own counts
	 */
	public ConsumerStats {
		nsqd = List.copyOf(nsqd);
	}

	/**
	 * A snapshot without failed-message handler errors and per-nsqd entries (e.g. sums
	 * kept by a metrics binder).
	 * @param received messages received from nsqd
	 * @param finished messages finished
	 * @param requeued messages requeued
	 * @param failed messages that exceeded max attempts
	 * @param inFlight messages received and not yet answered
	 * @param connections open nsqd connections
	 * @param responseErrors non-fatal response errors from nsqd
	 * @param rdy the sum of the RDY counts
	 */
	public ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections,
			long responseErrors, long rdy) {
		this(received, finished, requeued, failed, inFlight, connections, responseErrors, rdy, 0, List.of());
	}

	/**
	 * A snapshot without the RDY sum.
	 * @param received messages received from nsqd
	 * @param finished messages finished
	 * @param requeued messages requeued
	 * @param failed messages that exceeded max attempts
	 * @param inFlight messages received and not yet answered
	 * @param connections open nsqd connections
	 * @param responseErrors non-fatal response errors from nsqd
	 */
	public ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections,
			long responseErrors) {
		this(received, finished, requeued, failed, inFlight, connections, responseErrors, 0);
	}

	/**
	 * A snapshot without response errors.
	 * @param received messages received from nsqd
	 * @param finished messages finished
	 * @param requeued messages requeued
	 * @param failed messages that exceeded max attempts
	 * @param inFlight messages received and not yet answered
	 * @param connections open nsqd connections
	 */
	public ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections) {
		this(received, finished, requeued, failed, inFlight, connections, 0, 0);
	}

}
