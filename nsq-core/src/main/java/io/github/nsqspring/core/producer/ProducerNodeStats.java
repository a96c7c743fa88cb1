package io.github.nsqspring.core.producer;

/**
 * One nsqd as a producer sees it, in {@link ProducerStats#nodes()}: whether it is
 * connected, the publishes it owes an answer to, what it acknowledged and what failed on
 * it.
 *
 * @param nsqdAddress the nsqd TCP address {@code host:port}
 * @param state connected, not connected, retrying or closed
 * @param pending publish calls awaiting this nsqd's answer
 * @param published messages this nsqd acknowledged ({@code OK}), over the producer's life
 * @param failed messages whose publish failed on this nsqd (an error answer, the
 * connection lost before the answer, connecting failed, no room among pending commands in
 * time, closed). A producer over several nsqd sends a publish that failed here before it
 * was written on to the next nsqd, so it may count here and as published on another.
 * @param lastError the last error since the connection was opened (an error nsqd
 * answered, why the connection was lost, why connecting failed), message only, or
 * {@code null}; never contains secrets
 */
public record ProducerNodeStats(String nsqdAddress, State state, long pending, long published, long failed,
		String lastError) {

	/**
	 * Where the producer stands with an nsqd.
	 */
	public enum State {

		/** A connection is open. */
		CONNECTED,

		/**
		 * No connection is open, and none failed since the last one: the producer
		 * connects lazily, so the next publish to this nsqd opens one (never published to
		 * yet, or the connection was lost).
		 */
		NOT_CONNECTED,

		/**
		 * The last attempt to connect failed: publishes to this nsqd fail at once (a
		 * producer over several nsqd uses the others) until the reconnect delay is over;
		 * the next publish after it tries again.
		 */
		RETRYING,

		/**
		 * Closed: the producer was closed, or nsqlookupd no longer lists this nsqd and
		 * its answers owed are being awaited.
		 */
		CLOSED

	}

}
