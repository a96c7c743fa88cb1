package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.core.config.NsqConfig;

/**
 * Changes the auto-configured {@link NsqConfig} (shared by producer and listeners) after
 * the {@code nsq.*} properties were applied, for settings without a property. Ordered by
 * {@code @Order} / {@code Ordered}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqConfigBuilderCustomizer {

	/**
	 * Customize the configuration builder.
	 * @param builder the builder
	 */
	void customize(NsqConfig.Builder builder);

}
