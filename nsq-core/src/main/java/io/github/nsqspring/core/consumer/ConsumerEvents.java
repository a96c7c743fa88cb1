package io.github.nsqspring.core.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;

/**
 * Passes a consumer's events to its {@link ConsumerListener}, so that a listener that
 * throws is logged and never breaks the consumer thread that called it.
 */
final class ConsumerEvents {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerEvents.class);

	private static final ConsumerListener NONE = new ConsumerListener() {
	};

	private final String name;

	private final ConsumerListener listener;

	ConsumerEvents(String name, ConsumerListener listener) {
		this.name = name;
		this.listener = (listener != null) ? listener : NONE;
	}

	void connected(String nsqdAddress) {
		notify(() -> this.listener.onConnected(nsqdAddress));
	}

	void disconnected(String nsqdAddress, Throwable cause) {
		notify(() -> this.listener.onDisconnected(nsqdAddress, cause));
	}

	void connectFailed(String nsqdAddress, Throwable cause) {
		notify(() -> this.listener.onConnectFailed(nsqdAddress, cause));
	}

	void permanentFailure(String nsqdAddress, NsqException cause) {
		notify(() -> this.listener.onPermanentFailure(nsqdAddress, cause));
	}

	void responseError(String nsqdAddress, String errorText) {
		notify(() -> this.listener.onResponseError(nsqdAddress, errorText));
	}

	void lookupFailed(Throwable cause) {
		notify(() -> this.listener.onLookupFailed(cause));
	}

	private void notify(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of consumer {} failed", this.name, ex);
		}
	}

}
