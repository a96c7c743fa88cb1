package io.github.nsqspring.boot.core;

import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

/**
 * Changes every consumer a {@link DefaultNsqConsumerFactory} builds, for example to set a
 * discovery filter. Runs after the factory's own settings and before the listener
 * container's (handler, concurrency, executor), which always win.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqConsumerBuilderCustomizer {

	/**
	 * Customize a builder.
	 * @param builder the builder
	 */
	void customize(NsqConsumerBuilder builder);

}
