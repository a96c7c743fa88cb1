package io.github.nsqspring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.messaging.handler.annotation.MessageMapping;

/**
 * Marks a bean method as the listener of an NSQ topic and channel. Every attribute is a
 * String resolving {@code ${...}} placeholders and {@code #{...}} SpEL expressions; an
 * empty attribute keeps the container factory's setting (which comes from
 * {@code nsq.consumer.*} and {@code nsq.listener.*}).
 * <p>
 * Method parameters are resolved like Spring messaging handler methods:
 * <ul>
 * <li>the payload, converted to the parameter type: {@code byte[]} as is, {@code String}
 * from UTF-8, other types from JSON ({@code @Payload @Valid} is validated when a
 * {@code Validator} bean exists);</li>
 * <li>{@code @Header(NsqHeaders.ATTEMPTS) int attempts} and the other
 * {@link io.github.nsqspring.boot.support.NsqHeaders} (id, timestamp, nsqd address,
 * topic, channel), {@code @Headers Map}, {@code MessageHeaders};</li>
 * <li>{@code Message<T>};</li>
 * <li>the raw {@link io.github.nsqspring.core.consumer.NsqMessage}: the method then
 * acknowledges itself with {@code finish()}, {@code requeue(delay)} and keeps long work
 * alive with {@code touch()}.</li>
 * </ul>
 * Returning normally finishes the message; throwing requeues it with backoff until its
 * last attempt, then hands it to the recoverer (logs, or publishes to a dead-letter
 * topic). Payloads that cannot be converted or validated go to the recoverer at once. A
 * returned {@code CompletableFuture} is waited for on the listener thread before the
 * message is answered. With
 * {@link org.springframework.messaging.handler.annotation.SendTo @SendTo} on the method
 * (or its class), a non-null return value is published as a reply before the message is
 * finished: {@code @SendTo("topic")}, {@code @SendTo("${...}")} or
 * {@code @SendTo("#{...}")} resolved at startup, {@code @SendTo("!{...}")} evaluated for
 * each reply (root: {@code request}, {@code source}, {@code result}), and a request's
 * {@code replyTopic} envelope header wins over all of them; an empty {@code @SendTo}
 * takes the header only. Replies are published through the application's
 * {@code NsqOperations} bean; startup fails without one.
 *
 * <pre class="code">
 * &#64;NsqListener(topic = "orders", channel = "billing", maxInFlight = "${billing.max-in-flight:10}")
 * void onOrder(Order order) { ... }
 * </pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see EnableNsq
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@MessageMapping
@Documented
@Repeatable(NsqListeners.class)
public @interface NsqListener {

	/**
	 * Id of the listener container, to find it in the
	 * {@link io.github.nsqspring.boot.config.NsqListenerEndpointRegistry}. Default: a
	 * generated, unique id.
	 * @return the id
	 */
	String id() default "";

	/**
	 * The topic to consume (required).
	 * @return the topic
	 */
	String topic();

	/**
	 * The channel to consume. Default: {@code nsq.listener.default-channel}; without one,
	 * startup fails. Never generated: channels are durable on nsqd. A {@code #ephemeral}
	 * channel is not kept once its last consumer leaves.
	 * @return the channel
	 */
	String channel() default "";

	/**
	 * Listener calls that may run at once (default {@code nsq.consumer.concurrency}).
	 * @return the concurrency, an integer of at least 1
	 */
	String concurrency() default "";

	/**
	 * Messages held at once (default {@code nsq.consumer.max-in-flight}).
	 * @return max in flight, an integer of at least 1
	 */
	String maxInFlight() default "";

	/**
	 * Deliveries before a message goes to the recoverer (default
	 * {@code nsq.consumer.max-attempts}; 0 for no limit).
	 * @return max attempts, an integer
	 */
	String maxAttempts() default "";

	/**
	 * Whether the container starts with the context (default
	 * {@code nsq.listener.auto-startup}).
	 * @return {@code true} or {@code false}
	 */
	String autoStartup() default "";

	/**
	 * Bean name of the
	 * {@link io.github.nsqspring.boot.config.NsqListenerContainerFactory} (default
	 * {@code nsqListenerContainerFactory}), or an expression yielding the factory.
	 * @return the bean name
	 */
	String containerFactory() default "";

	/**
	 * Bean name of an {@link io.github.nsqspring.boot.listener.NsqListenerErrorHandler}
	 * called when the method fails, before the container's error handling, or an
	 * expression yielding the handler.
	 * @return the bean name
	 */
	String errorHandler() default "";

	/**
	 * Consumer options of this listener by their go-nsq names, each {@code "name=value"}
	 * (or {@code "name:value"}), for example {@code {"msg_timeout=2m", "max_attempts=10",
	 * "default_requeue_delay=5s"}}. The names, value formats and checks are nsq-core's
	 * ({@link io.github.nsqspring.core.config.NsqConfig.Builder#set(String, Object)}):
	 * durations as {@code 90s}, {@code 2m}, ISO-8601 or milliseconds. Each element may
	 * use {@code ${...}} and {@code #{...}}; an expression may also yield a {@code Map}
	 * or {@code Properties} of options.
	 * <p>
	 * Precedence, highest first: these properties (and {@link #maxInFlight()} /
	 * {@link #maxAttempts()}, which may not name the same option), the container
	 * factory's {@code NsqListenerConsumerCustomizer}s and settings,
	 * {@code nsq.consumer.*}. An unknown name or invalid value fails startup with a
	 * message naming the listener and the option.
	 * @return the options
	 */
	String[] properties() default {};

	/**
	 * Whether the method takes batches: a {@code List<T>}, {@code List<Message<T>>} or
	 * {@code List<NsqMessage>} parameter (default: the container factory's, which is
	 * false). A batch holds up to {@link #batchSize()} messages, handed over when full or
	 * when its first message has waited {@link #batchTimeout()}; it is acknowledged as a
	 * whole (see
	 * {@link io.github.nsqspring.boot.listener.NsqBatchListenerFailedException} to fail
	 * one message of it). {@link #concurrency()} is then the number of batches processed
	 * at once.
	 * @return {@code true} or {@code false}
	 */
	String batch() default "";

	/**
	 * The most messages per batch (default: the factory's, else the listener's max in
	 * flight). Max in flight must be at least this: startup fails otherwise.
	 * @return the batch size, an integer of at least 1
	 */
	String batchSize() default "";

	/**
	 * Longest wait for a batch to fill after its first message arrived (default: the
	 * factory's, 500ms), as {@code 200ms}, {@code 2s} or ISO-8601. Must be below half of
	 * {@code msg_timeout}.
	 * @return the batch timeout
	 */
	String batchTimeout() default "";

	/**
	 * Bean name of an {@link io.github.nsqspring.boot.listener.NsqMessageFilterStrategy}
	 * for this listener, replacing the container factory's. Discarded messages are
	 * finished without reaching the method. Or an expression yielding the strategy.
	 * @return the bean name
	 */
	String filter() default "";

	/**
	 * The name under which the attributes' {@code #{...}} expressions see the bean that
	 * holds this method, so that one listener class serves several beans: {@code topic =
	 * "#{__listener.topic}"}. Default {@code __listener}.
	 * @return the name
	 */
	String beanRef() default "__listener";

}
