package io.github.nsqspring.core.consumer;

import io.github.nsqspring.core.NsqException;

/**
 * Receives a consumer's connection events, e.g. to publish application events or metrics.
 * Methods are called on the consumer's internal threads (connection readers, the
 * {@code nsq-consumer-io-…} and {@code nsq-consumer-…} threads); they must return quickly
 * and should not throw (an exception is logged and ignored). Every method has an empty
 * default.
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
	 * Connecting to nsqd failed in a way that retrying can heal (nsqd down or restarting,
	 * network, timeouts); another attempt follows (after the reconnect backoff for a
	 * configured address, at the next nsqlookupd poll for a discovered one).
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause the failure
	 */
	default void onConnectFailed(String nsqdAddress, Throwable cause) {
	}

	/**
	 * Connecting to (or staying connected to) nsqd failed in a way that retrying cannot
	 * heal: configuration that can never work (snappy without snappy-java, unreadable TLS
	 * material), a TLS handshake that fails on certificates, a topic or channel name nsqd
	 * rejects, {@code E_AUTH_FAILED} or {@code E_UNAUTHORIZED}, an IDENTIFY setting nsqd
	 * rejects (see {@link io.github.nsqspring.core.connection.ConnectFailures}). The
	 * consumer stops trying this nsqd (it shows as {@link ConnectionStats.State#FAILED}
	 * in {@link NsqConsumer#stats()}) and has logged an ERROR with the fix; it keeps
	 * running with its other connections, if any.
	 * <p>
	 * Not called for a failure in the first connection round: {@link NsqConsumer#start()}
	 * throws that one instead. A caller that wants the consumer to stop on such a failure
	 * (e.g. a listener container with a "stop" startup-failure policy) may call
	 * {@link NsqConsumer#stop(java.time.Duration)} from here; not
	 * {@link NsqConsumer#close()}, which waits for the stop and so for this thread.
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause the failure, its message naming what is wrong
	 */
	default void onPermanentFailure(String nsqdAddress, NsqException cause) {
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
