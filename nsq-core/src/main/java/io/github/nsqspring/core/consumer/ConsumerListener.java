package io.github.nsqspring.core.consumer;

/**
 * Receives a consumer's connection events, e.g. to publish application events or metrics.
 * Methods are called on the consumer's internal threads (reader, scheduler); they must
 * return quickly and should not throw (an exception is logged and ignored). Every method
 * has an empty default.
 */
public interface ConsumerListener {

	/**
	 * A connection to nsqd was established and subscribed.
	 * @param nsqdAddress the nsqd {@code host:port}
	 */
	default void onConnected(String nsqdAddress) {
	}

	/**
	 * A connection to nsqd closed.
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause why, or {@code null} when the consumer closed it (stop, or the nsqd
	 * left nsqlookupd)
	 */
	default void onDisconnected(String nsqdAddress, Throwable cause) {
	}

	/**
	 * Connecting to nsqd failed; another attempt follows (after the reconnect backoff for
	 * a configured address, at the next nsqlookupd poll for a discovered one).
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause the failure
	 */
	default void onConnectFailed(String nsqdAddress, Throwable cause) {
	}

	/**
	 * nsqd answered FIN, REQ or TOUCH with a non-fatal error ({@code E_FIN_FAILED},
	 * {@code E_REQ_FAILED}, {@code E_TOUCH_FAILED}); the connection stays open.
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param errorText the complete error text
	 */
	default void onResponseError(String nsqdAddress, String errorText) {
	}

	/**
	 * An nsqlookupd poll failed (every nsqlookupd address was tried); connections already
	 * open are kept and the next poll follows at the poll interval.
	 * @param cause the failure
	 */
	default void onLookupFailed(Throwable cause) {
	}

}
