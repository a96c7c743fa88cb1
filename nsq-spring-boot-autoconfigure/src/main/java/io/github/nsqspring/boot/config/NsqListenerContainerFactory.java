package io.github.nsqspring.boot.config;

import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Creates listener containers: for {@code @NsqListener} endpoints, and for code that
 * wants a container configured like the annotated ones.
 *
 * @param <C> the container type
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqListenerContainerFactory<C extends NsqMessageListenerContainer> {

	/**
	 * Create a container for an endpoint.
	 * @param endpoint the endpoint
	 * @return the container, not started
	 * @throws IllegalStateException when the endpoint has no channel and the factory no
	 * default channel
	 * @throws io.github.nsqspring.core.NsqInvalidNameException for an invalid topic or
	 * channel name
	 */
	C createListenerContainer(NsqListenerEndpoint endpoint);

	/**
	 * Create a container for a topic and channel with the factory's settings.
	 * @param topic the topic
	 * @param channel the channel
	 * @param listener the listener
	 * @return the container, not started (the caller owns its lifecycle)
	 */
	C createContainer(String topic, String channel, NsqMessageListener listener);

}
