package io.github.nsqspring.boot.config;

import io.github.nsqspring.boot.listener.NsqBatchMessageListener;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An endpoint around a ready {@link NsqMessageListener} or
 * {@link NsqBatchMessageListener}, for registering listeners in code through an
 * {@link io.github.nsqspring.boot.annotation.NsqListenerConfigurer}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class SimpleNsqListenerEndpoint extends AbstractNsqListenerEndpoint {

	private final @Nullable NsqMessageListener messageListener;

	private final @Nullable NsqBatchMessageListener batchMessageListener;

	/**
	 * Create an endpoint taking one message at a time.
	 * @param messageListener the listener
	 */
	public SimpleNsqListenerEndpoint(NsqMessageListener messageListener) {
		Assert.notNull(messageListener, "'messageListener' must not be null");
		this.messageListener = messageListener;
		this.batchMessageListener = null;
		setBatchListener(false);
	}

	private SimpleNsqListenerEndpoint(NsqBatchMessageListener batchMessageListener) {
		Assert.notNull(batchMessageListener, "'batchMessageListener' must not be null");
		this.messageListener = null;
		this.batchMessageListener = batchMessageListener;
		setBatchListener(true);
	}

	/**
	 * Create an endpoint taking batches.
	 * @param batchMessageListener the listener
	 * @return the endpoint
	 */
	public static SimpleNsqListenerEndpoint forBatches(NsqBatchMessageListener batchMessageListener) {
		return new SimpleNsqListenerEndpoint(batchMessageListener);
	}

	@Override
	public NsqMessageListener createMessageListener(NsqContainerProperties containerProperties) {
		Assert.state(this.messageListener != null, () -> "Listener '" + getId() + "' takes batches");
		return this.messageListener;
	}

	@Override
	public NsqBatchMessageListener createBatchMessageListener(NsqContainerProperties containerProperties) {
		Assert.state(this.batchMessageListener != null, () -> "Listener '" + getId() + "' does not take batches");
		return this.batchMessageListener;
	}

}
