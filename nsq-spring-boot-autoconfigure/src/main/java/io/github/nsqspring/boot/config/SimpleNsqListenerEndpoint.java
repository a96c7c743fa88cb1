package io.github.nsqspring.boot.config;

import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListener;

import org.springframework.util.Assert;

/**
 * An endpoint around a ready {@link NsqMessageListener}, for registering listeners in
 * code through an {@link io.github.nsqspring.boot.annotation.NsqListenerConfigurer}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class SimpleNsqListenerEndpoint extends AbstractNsqListenerEndpoint {

	private final NsqMessageListener messageListener;

	/**
	 * Create an endpoint.
	 * @param messageListener the listener
	 */
	public SimpleNsqListenerEndpoint(NsqMessageListener messageListener) {
		Assert.notNull(messageListener, "'messageListener' must not be null");
		this.messageListener = messageListener;
	}

	@Override
	public NsqMessageListener createMessageListener(NsqContainerProperties containerProperties) {
		return this.messageListener;
	}

}
