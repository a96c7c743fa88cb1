package io.github.nsqspring.boot.core;

import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

/**
 * Changes every consumer a {@link DefaultNsqConsumerFactory} builds, for example to set a
 * discovery filter. Runs after the factory's own settings and before the listener
 * container's (handler, concurrency, executor), which always win. A
 * {@link io.github.nsqspring.core.consumer.ConsumerListener} set here is called next to
 * the container's own (connection events), not replaced.
 * <p>
 * It is not told which listener the consumer is for, and the consumer options it might
 * set with {@code builder.config(...)} are replaced by the container's (which start from
 * the factory's configuration): use an {@link NsqListenerConsumerCustomizer} for
 * per-listener settings and options, or an {@code NsqConfigBuilderCustomizer} for options
 * of every consumer.
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
