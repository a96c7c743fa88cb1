package io.github.nsqspring.core.consumer;

/**
 * A snapshot of a consumer's counters.
 *
 * @param received messages received from nsqd
 * @param finished messages finished (FIN), including those discarded after max attempts
 * @param requeued messages requeued (REQ)
 * @param failed messages that exceeded max attempts
 * @param inFlight messages received and not yet answered
 * @param connections open nsqd connections
 * @param responseErrors non-fatal {@code E_FIN_FAILED}, {@code E_REQ_FAILED} and
 * {@code E_TOUCH_FAILED} answers from nsqd (typically a response after the message's
 * in-flight timeout, so the message is delivered again)
 * @param rdy the sum of the RDY counts currently sent on the open connections (at most
 * {@code max_in_flight}; 0 while paused or backing off)
 */
public record ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections,
		long responseErrors, long rdy) {

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
