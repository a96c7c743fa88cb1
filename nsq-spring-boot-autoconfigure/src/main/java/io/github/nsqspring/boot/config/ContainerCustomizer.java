package io.github.nsqspring.boot.config;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Changes each container a factory creates, after the factory applied its settings and
 * the endpoint's.
 *
 * @param <C> the container type
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface ContainerCustomizer<C extends NsqMessageListenerContainer> {

	/**
	 * Customize a container.
	 * @param container the container, not started
	 */
	void configure(C container);

}
