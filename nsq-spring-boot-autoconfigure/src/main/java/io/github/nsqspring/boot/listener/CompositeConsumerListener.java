package io.github.nsqspring.boot.listener;

import java.util.List;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.consumer.ConsumerListener;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Calls several consumer listeners, each isolated from the others' failures.
 *
 * @author nsq-spring
 */
final class CompositeConsumerListener implements ConsumerListener {

	private static final LogAccessor logger = new LogAccessor(CompositeConsumerListener.class);

	private final List<ConsumerListener> delegates;

	CompositeConsumerListener(List<ConsumerListener> delegates) {
		this.delegates = delegates;
	}

	@Override
	public void onConnected(String nsqdAddress) {
		each((listener) -> listener.onConnected(nsqdAddress));
	}

	@Override
	public void onDisconnected(String nsqdAddress, @Nullable Throwable cause) {
		each((listener) -> listener.onDisconnected(nsqdAddress, cause));
	}

	@Override
	public void onConnectFailed(String nsqdAddress, Throwable cause) {
		each((listener) -> listener.onConnectFailed(nsqdAddress, cause));
	}

	@Override
	public void onPermanentFailure(String nsqdAddress, NsqException cause) {
		each((listener) -> listener.onPermanentFailure(nsqdAddress, cause));
	}

	@Override
	public void onResponseError(String nsqdAddress, String errorText) {
		each((listener) -> listener.onResponseError(nsqdAddress, errorText));
	}

	@Override
	public void onLookupFailed(Throwable cause) {
		each((listener) -> listener.onLookupFailed(cause));
	}

	private void each(Consumer<ConsumerListener> call) {
		for (ConsumerListener listener : this.delegates) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "Consumer listener " + listener + " failed");
			}
		}
	}

}
