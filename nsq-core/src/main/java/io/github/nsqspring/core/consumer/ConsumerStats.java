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
 */
public record ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections,
		long responseErrors) {

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
		this(received, finished, requeued, failed, inFlight, connections, 0);
	}

}
