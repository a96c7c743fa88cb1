package io.github.nsqspring.boot.core;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

/**
 * What an {@link NsqListenerConsumerCustomizer} is given: which listener the consumer is
 * for, and the two builders of that consumer.
 *
 * @param listenerId the listener container's id
 * @param topic the topic consumed
 * @param channel the channel consumed
 * @param config the consumer's options, holding {@code nsq.consumer.*} and the container
 * factory's settings; the listener's own properties are applied after the customizers
 * @param consumer the consumer builder, for settings that are not options (discovery
 * filter, reconnect backoff, connection listener); do not set its configuration here, use
 * {@code config}
 * @author nsq-spring
 * @since 0.1.0
 */
public record NsqListenerConsumerSpec(String listenerId, String topic, String channel, NsqConfig.Builder config,
		NsqConsumerBuilder consumer) {

}
