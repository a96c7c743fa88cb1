package io.github.nsqspring.core.consumer;

/**
 * One nsqd as a consumer sees it, in {@link ConsumerStats#nsqd()}: the connection's RDY
 * count, messages in flight and answers, or why it is not connected. Counts are those of
 * the current connection (they start at 0 when it reconnects).
 *
 * @param nsqdAddress the nsqd TCP address {@code host:port}
 * @param state connected, draining, retrying or given up
 * @param rdy the RDY count last sent (0 unless connected)
 * @param inFlight messages received on this connection and not answered yet
 * @param finished messages finished on this connection (FIN written)
 * @param requeued messages requeued on this connection (REQ written)
 * @param lastError the last error of this nsqd, message only (an error frame nsqd sent,
 * why the connection was lost or could not be opened), or {@code null}; never contains
 * secrets
 */
public record ConnectionStats(String nsqdAddress, State state, long rdy, long inFlight, long finished, long requeued,
		String lastError) {

	/**
	 * Where the consumer stands with an nsqd.
	 */
	public enum State {

		/** Subscribed and receiving messages (as its RDY count allows). */
		CONNECTED,

		/**
		 * Asked for nothing more (RDY 0, CLS) and waiting for its in-flight messages to
		 * be answered before it closes: the consumer is stopping, or nsqlookupd no longer
		 * lists this nsqd.
		 */
		DRAINING,

		/**
		 * Not connected; connecting failed or the connection was lost and is tried again
		 * (a configured nsqd after its reconnect backoff, a discovered one while
		 * nsqlookupd lists it).
		 */
		RETRYING,

		/**
		 * Not connected and never tried again: the failure cannot heal by retrying (see
		 * {@link ConsumerListener#onPermanentFailure}).
		 */
		FAILED

	}

}
