package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;

/**
 * Changes the auto-configured {@code nsqListenerContainerFactory} after the {@code nsq.*}
 * properties were applied, for settings without a property. Ordered by {@code @Order} /
 * {@code Ordered}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqContainerFactoryCustomizer {

	/**
	 * Customize the factory.
	 * @param factory the factory
	 */
	void customize(ConcurrentNsqListenerContainerFactory factory);

}
