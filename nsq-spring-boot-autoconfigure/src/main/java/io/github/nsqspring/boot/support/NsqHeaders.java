package io.github.nsqspring.boot.support;

/**
 * Names of the Spring message headers that carry NSQ message attributes, for
 * {@code @Header} parameters of {@code @NsqListener} methods and for
 * {@link org.springframework.messaging.Message} arguments. NSQ messages have no headers
 * on the wire: these are filled in from the protocol frame and the listener's
 * subscription.
 *
 * <pre class="code">
 * &#64;NsqListener(topic = "orders", channel = "billing")
 * void onOrder(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) { ... }
 * </pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public abstract class NsqHeaders {

	/** Prefix of every NSQ header name. */
	public static final String PREFIX = "nsq_";

	/** The message id: 16 hex characters ({@code String}). */
	public static final String ID = PREFIX + "id";

	/** The delivery attempt, 1 on first delivery ({@code Integer}). */
	public static final String ATTEMPTS = PREFIX + "attempts";

	/** When nsqd received the message, in nanoseconds since the epoch ({@code Long}). */
	public static final String TIMESTAMP = PREFIX + "timestamp";

	/** The {@code host:port} of the nsqd that delivered the message ({@code String}). */
	public static final String NSQD_ADDRESS = PREFIX + "nsqdAddress";

	/** The topic the message was consumed from ({@code String}). */
	public static final String TOPIC = PREFIX + "topic";

	/** The channel the message was consumed from ({@code String}). */
	public static final String CHANNEL = PREFIX + "channel";

	/**
	 * The raw {@link io.github.nsqspring.core.consumer.NsqMessage}, for manual
	 * finish/requeue/touch.
	 */
	public static final String RAW_MESSAGE = PREFIX + "rawMessage";

	/**
	 * On a message given to {@code NsqTemplate.send(topic, Message)}: publish it deferred
	 * by this delay ({@link java.time.Duration}, or a number of milliseconds).
	 */
	public static final String DELAY = PREFIX + "delay";

	private NsqHeaders() {
	}

}
