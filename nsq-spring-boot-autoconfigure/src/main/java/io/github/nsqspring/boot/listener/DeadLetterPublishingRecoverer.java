package io.github.nsqspring.boot.listener;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.protocol.NsqNames;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Publishes a message that will not be retried to a dead-letter topic, by default the
 * original topic followed by {@value #DEFAULT_SUFFIX} ({@code orders} →
 * {@code orders.dlq}). The body is published unchanged, so any NSQ client can read the
 * dead-letter topic, and a message can be replayed by publishing it back; with
 * {@link #setEnvelopeEnabled(boolean)} the failure travels along as envelope headers. The
 * cause is logged at warn level with the message id.
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

	private boolean envelopeEnabled;

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
	 * Whether dead letters are published in the {@linkplain NsqEnvelope envelope} format
	 * with the failure as headers ({@link NsqHeaders#DLT_EXCEPTION_CLASS},
	 * {@link NsqHeaders#DLT_EXCEPTION_MESSAGE}, {@link NsqHeaders#DLT_ORIGINAL_TOPIC},
	 * {@link NsqHeaders#DLT_ORIGINAL_CHANNEL}, {@link NsqHeaders#DLT_ATTEMPTS},
	 * {@link NsqHeaders#DLT_ORIGINAL_ID}); the headers of an enveloped original (its
	 * trace context among them) are kept. Default false: the original body is published
	 * unchanged.
	 * @param envelopeEnabled {@code true} to add the failure as envelope headers
	 */
	public void setEnvelopeEnabled(boolean envelopeEnabled) {
		this.envelopeEnabled = envelopeEnabled;
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

	private static byte[] deadLetter(NsqMessage message, String topic, String channel, Throwable cause) {
		NsqEnvelope original = NsqEnvelope.decode(message.body());
		Map<String, String> headers = new LinkedHashMap<>(original.getHeaders());
		headers.put(NsqHeaders.DLT_EXCEPTION_CLASS, cause.getClass().getName());
		headers.put(NsqHeaders.DLT_EXCEPTION_MESSAGE, (cause.getMessage() != null) ? cause.getMessage() : "");
		headers.put(NsqHeaders.DLT_ORIGINAL_TOPIC, topic);
		headers.put(NsqHeaders.DLT_ORIGINAL_CHANNEL, channel);
		headers.put(NsqHeaders.DLT_ATTEMPTS, String.valueOf(message.attempts()));
		headers.put(NsqHeaders.DLT_ORIGINAL_ID, message.idText());
		return NsqEnvelope.encode(headers, original.getPayload());
	}

	@Override
	public void recover(NsqMessage message, String topic, String channel, Throwable cause) {
		String destination = NsqNames.requireValidTopic(resolveDestination(topic, channel));
		this.producer.publish(destination,
				this.envelopeEnabled ? deadLetter(message, topic, channel, cause) : message.body());
		logger.warn(cause, () -> "Message " + message.idText() + " from " + topic + "/" + channel + " published to "
				+ destination + " after " + message.attempts() + " attempt(s): " + cause.getMessage());
	}

}
