package io.github.nsqspring.boot.listener;

import java.util.function.BiFunction;

import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.protocol.NsqNames;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Publishes a message that will not be retried to a dead-letter topic, by default the
 * original topic followed by {@value #DEFAULT_SUFFIX} ({@code orders} →
 * {@code orders.dlq}). The body is published unchanged, so any NSQ client can read the
 * dead-letter topic, and a message can be replayed by publishing it back. The cause is
 * logged at warn level with the message id.
 * <p>
 * The publish waits for nsqd's answer. When it fails (nsqd down, invalid destination
 * name), {@link #recover} throws and the container requeues the message rather than
 * finishing it, so a message is never lost between the two topics.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DeadLetterPublishingRecoverer implements NsqMessageRecoverer {

	/** The default suffix of dead-letter topics. */
	public static final String DEFAULT_SUFFIX = ".dlq";

	private static final LogAccessor logger = new LogAccessor(DeadLetterPublishingRecoverer.class);

	private final NsqProducer producer;

	private BiFunction<String, String, String> destinationResolver;

	/**
	 * Publish to {@code <topic>.dlq}.
	 * @param producer the producer to publish with
	 */
	public DeadLetterPublishingRecoverer(NsqProducer producer) {
		this(producer, DEFAULT_SUFFIX);
	}

	/**
	 * Publish to the topic followed by a suffix.
	 * @param producer the producer to publish with
	 * @param suffix appended to the topic; NSQ names allow '.', '_' and '-'
	 */
	public DeadLetterPublishingRecoverer(NsqProducer producer, String suffix) {
		Assert.notNull(producer, "'producer' must not be null");
		Assert.hasText(suffix, "'suffix' must not be empty");
		this.producer = producer;
		this.destinationResolver = (topic, channel) -> topic + suffix;
	}

	/**
	 * Choose the dead-letter topic from the original topic and channel, for example one
	 * dead-letter topic per channel: {@code (topic, channel) -> topic + "." + channel +
	 * ".dlq"}.
	 * @param destinationResolver receives topic and channel, returns a topic name
	 */
	public void setDestinationResolver(BiFunction<String, String, String> destinationResolver) {
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		this.destinationResolver = destinationResolver;
	}

	/**
	 * The dead-letter topic of a topic and channel.
	 * @param topic the original topic
	 * @param channel the original channel
	 * @return the dead-letter topic
	 */
	public String resolveDestination(String topic, String channel) {
		return this.destinationResolver.apply(topic, channel);
	}

	@Override
	public void recover(NsqMessage message, String topic, String channel, Throwable cause) {
		String destination = NsqNames.requireValidTopic(resolveDestination(topic, channel));
		this.producer.publish(destination, message.body());
		logger.warn(cause, () -> "Message " + message.idText() + " from " + topic + "/" + channel + " published to "
				+ destination + " after " + message.attempts() + " attempt(s): " + cause.getMessage());
	}

}
