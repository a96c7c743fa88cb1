package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.core.producer.NsqProducerBuilder;

/**
 * Changes the auto-configured producer's builder after the {@code nsq.*} properties were
 * applied. Ordered by {@code @Order} / {@code Ordered}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqProducerBuilderCustomizer {

	/**
	 * Customize the producer builder.
	 * @param builder the builder
	 */
	void customize(NsqProducerBuilder builder);

}
