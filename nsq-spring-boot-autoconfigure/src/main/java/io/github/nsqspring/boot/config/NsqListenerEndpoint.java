package io.github.nsqspring.boot.config;

import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import org.jspecify.annotations.Nullable;

/**
 * What a listener container is made from: the subscription, per-listener overrides of the
 * factory's settings ({@code null} keeps the factory's), and the listener itself.
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see MethodNsqListenerEndpoint
 * @see SimpleNsqListenerEndpoint
 */
public interface NsqListenerEndpoint {

	/**
	 * The id of the container.
	 * @return the id
	 */
	String getId();

	/**
	 * The topic.
	 * @return the topic name
	 */
	String getTopic();

	/**
	 * The channel; {@code null} to use the factory's default channel.
	 * @return the channel name, or {@code null}
	 */
	@Nullable String getChannel();

	/**
	 * Listener calls that may run at once.
	 * @return the concurrency, or {@code null} for the factory's
	 */
	@Nullable Integer getConcurrency();

	/**
	 * Messages held at once.
	 * @return max in flight, or {@code null} for the factory's
	 */
	@Nullable Integer getMaxInFlight();

	/**
	 * Deliveries before recovery.
	 * @return max attempts, or {@code null} for the factory's
	 */
	@Nullable Integer getMaxAttempts();

	/**
	 * Whether the container starts with the context.
	 * @return auto startup, or {@code null} for the factory's
	 */
	@Nullable Boolean getAutoStartup();

	/**
	 * Create the listener of a container.
	 * @param containerProperties the container's final settings (topic, channel...)
	 * @return the listener
	 */
	NsqMessageListener createMessageListener(NsqContainerProperties containerProperties);

}
