package io.github.nsqspring.boot.support;

/**
 * Names of the Spring message headers that carry NSQ message attributes, for
 * {@code @Header} parameters of {@code @NsqListener} methods and for
 * {@link org.springframework.messaging.Message} arguments. NSQ messages have no headers
 * on the wire: these are filled in from the protocol frame and the listener's
 * subscription, except the {@code DLT_*} ones, which the dead-letter recoverer writes
 * into the {@linkplain io.github.nsqspring.boot.support.envelope.NsqEnvelope envelope}
 * when it is on, and the reply headers ({@link #REPLY_TOPIC}, {@link #CORRELATION_ID},
 * {@link #REQUEST_MESSAGE_ID}), which travel in the envelope too.
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

	/**
	 * The class name of a payload that the converter turned into JSON ({@code String}).
	 * Written into the envelope by {@code NsqTemplate} when the envelope is on; a
	 * listener whose parameter type is an interface, an abstract class or {@code Object}
	 * uses it, under the trust rule of
	 * {@link io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter}.
	 */
	public static final String TYPE = PREFIX + "type";

	/**
	 * On a dead letter (envelope on): class name of the exception that made the message a
	 * dead letter ({@code String}).
	 */
	public static final String DLT_EXCEPTION_CLASS = PREFIX + "dlt_exception_class";

	/** On a dead letter (envelope on): the exception's message ({@code String}). */
	public static final String DLT_EXCEPTION_MESSAGE = PREFIX + "dlt_exception_message";

	/**
	 * On a dead letter (envelope on): the topic it was consumed from ({@code String}).
	 */
	public static final String DLT_ORIGINAL_TOPIC = PREFIX + "dlt_original_topic";

	/**
	 * On a dead letter (envelope on): the channel it was consumed from ({@code String}).
	 */
	public static final String DLT_ORIGINAL_CHANNEL = PREFIX + "dlt_original_channel";

	/**
	 * On a dead letter (envelope on): delivery attempts of the original message
	 * ({@code String} of a number).
	 */
	public static final String DLT_ATTEMPTS = PREFIX + "dlt_attempts";

	/** On a dead letter (envelope on): the original NSQ message id ({@code String}). */
	public static final String DLT_ORIGINAL_ID = PREFIX + "dlt_original_id";

	/**
	 * On a request (envelope on): the topic a {@code @SendTo} listener publishes its
	 * reply to, instead of the topic {@code @SendTo} names ({@code String}). Like the
	 * other reply headers it has no {@code nsq_} prefix: it is set by the sender, not
	 * read from the NSQ frame of a received message, like {@link #ID} or {@link #TOPIC},
	 * which {@code NsqTemplate} leaves out of what it sends.
	 */
	public static final String REPLY_TOPIC = "replyTopic";

	/**
	 * On a reply (envelope on): the request's own {@code correlationId} header when it
	 * had one, else the request's NSQ message id ({@code String}). The same name as
	 * Spring Integration's correlation header.
	 */
	public static final String CORRELATION_ID = "correlationId";

	/** On a reply (envelope on): the NSQ message id of the request ({@code String}). */
	public static final String REQUEST_MESSAGE_ID = "requestMessageId";

	private NsqHeaders() {
	}

}
