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
 */
public record ConsumerStats(long received, long finished, long requeued, long failed, long inFlight, int connections) {

}
