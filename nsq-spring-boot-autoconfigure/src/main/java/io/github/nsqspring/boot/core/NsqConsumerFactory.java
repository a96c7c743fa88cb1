package io.github.nsqspring.boot.core;

import java.util.function.Consumer;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

/**
 * Creates the consumers of listener containers, with the connection settings and
 * addresses of the application (nsqd or nsqlookupd).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqConsumerFactory {

	/**
	 * The base configuration; containers derive theirs from it (max in flight, max
	 * attempts).
	 * @return the configuration
	 */
	NsqConfig getConfig();

	/**
	 * Create a consumer, not started.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @param config the configuration to use
	 * @param customizer the caller's settings (handler, concurrency...), applied last
	 * @return the consumer
	 * @throws io.github.nsqspring.core.NsqException when a setting or name is invalid
	 */
	NsqConsumer createConsumer(String topic, String channel, NsqConfig config, Consumer<NsqConsumerBuilder> customizer);

}
