package io.github.nsqspring.boot.listener;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;
import io.github.nsqspring.core.protocol.NsqNames;

import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.Assert;

/**
 * Publishes a message that will not be retried to a dead-letter topic, by default the
 * original topic followed by {@value #DEFAULT_SUFFIX} ({@code orders} →
 * {@code orders.dlq}). The cause is logged at warn level with the message id.
 * <p>
 * Dead letters go through {@link NsqOperations} (the application's {@code NsqTemplate}),
 * so they are observed and metered like every other send, and the template's envelope
 * setting ({@code nsq.envelope.enabled}) decides their format:
 * <ul>
 * <li>envelope on: the original payload with the original envelope headers (its trace
 * context and type hint among them) and the failure as headers
 * ({@link NsqHeaders#DLT_EXCEPTION_CLASS}, {@link NsqHeaders#DLT_EXCEPTION_MESSAGE},
 * {@link NsqHeaders#DLT_ORIGINAL_TOPIC}, {@link NsqHeaders#DLT_ORIGINAL_CHANNEL},
 * {@link NsqHeaders#DLT_ATTEMPTS}, {@link NsqHeaders#DLT_ORIGINAL_ID});</li>
 * <li>envelope off: the original payload alone, so any NSQ client can read the
 * dead-letter topic, and a message can be replayed by publishing it back.</li>
 * </ul>
 * The exception recorded is the listener's own, not the
 * {@link ListenerExecutionFailedException} wrapping it.
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

	private final NsqOperations operations;

	private DestinationResolver destinationResolver;

	/**
	 * Publish to {@code <topic>.dlq}.
	 * @param operations publishes the dead letters, usually the application's
	 * {@code NsqTemplate}
	 */
	public DeadLetterPublishingRecoverer(NsqOperations operations) {
		this(operations, DEFAULT_SUFFIX);
	}

	/**
	 * Publish to the topic followed by a suffix.
	 * @param operations publishes the dead letters, usually the application's
	 * {@code NsqTemplate}
	 * @param suffix appended to the topic; NSQ names allow '.', '_' and '-'
	 */
	public DeadLetterPublishingRecoverer(NsqOperations operations, String suffix) {
		Assert.notNull(operations, "'operations' must not be null");
		Assert.hasText(suffix, "'suffix' must not be empty");
		this.operations = operations;
		this.destinationResolver = (message, topic, channel, cause) -> topic + suffix;
	}

	/**
	 * Choose the dead-letter topic of each failed message, for example one per channel,
	 * or one per kind of failure:
	 *
	 * <pre class="code">
	 * recoverer.setDestinationResolver((message, topic, channel, cause) -&gt;
	 *         (cause instanceof MessageConversionException) ? topic + ".unreadable" : topic + ".dlq");
	 * </pre>
	 * @param destinationResolver returns a valid topic name
	 */
	public void setDestinationResolver(DestinationResolver destinationResolver) {
		Assert.notNull(destinationResolver, "'destinationResolver' must not be null");
		this.destinationResolver = destinationResolver;
	}

	/**
	 * The dead-letter topic of a failed message.
	 * @param message the failed message
	 * @param topic the topic it was consumed from
	 * @param channel the channel it was consumed from
	 * @param cause why it is not retried
	 * @return the dead-letter topic
	 */
	public String resolveDestination(NsqMessage message, String topic, String channel, Throwable cause) {
		return this.destinationResolver.resolve(message, topic, channel, cause);
	}

	@Override
	public void recover(NsqMessage message, String topic, String channel, Throwable cause) {
		Throwable failure = (cause instanceof ListenerExecutionFailedException && cause.getCause() != null)
				? cause.getCause() : cause;
		String destination = NsqNames.requireValidTopic(resolveDestination(message, topic, channel, failure));
		this.operations.send(destination, deadLetter(message, topic, channel, failure));
		logger.warn(cause, () -> "Message " + message.idText() + " from " + topic + "/" + channel + " published to "
				+ destination + " after " + message.attempts() + " attempt(s): " + failure.getMessage());
	}

	private static Message<byte[]> deadLetter(NsqMessage message, String topic, String channel, Throwable cause) {
		NsqEnvelope original = NsqEnvelope.decode(message.body());
		Map<String, String> headers = new LinkedHashMap<>(original.getHeaders());
		headers.put(NsqHeaders.DLT_EXCEPTION_CLASS, cause.getClass().getName());
		headers.put(NsqHeaders.DLT_EXCEPTION_MESSAGE, (cause.getMessage() != null) ? cause.getMessage() : "");
		headers.put(NsqHeaders.DLT_ORIGINAL_TOPIC, topic);
		headers.put(NsqHeaders.DLT_ORIGINAL_CHANNEL, channel);
		headers.put(NsqHeaders.DLT_ATTEMPTS, String.valueOf(message.attempts()));
		headers.put(NsqHeaders.DLT_ORIGINAL_ID, message.idText());
		return MessageBuilder.withPayload(original.getPayload()).copyHeaders(headers).build();
	}

	/**
	 * Chooses the dead-letter topic of a failed message.
	 */
	@FunctionalInterface
	public interface DestinationResolver {

		/**
		 * The dead-letter topic of a failed message.
		 * @param message the failed message
		 * @param topic the topic it was consumed from
		 * @param channel the channel it was consumed from
		 * @param cause why it is not retried (the listener's exception, unwrapped)
		 * @return a valid topic name; an invalid one makes {@link #recover} throw, and
		 * the message is requeued
		 */
		String resolve(NsqMessage message, String topic, String channel, Throwable cause);

	}

}
