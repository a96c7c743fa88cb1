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
 * topic). Payloads that cannot be converted or validated go to the recoverer at once.
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
	 * {@code nsqListenerContainerFactory}).
	 * @return the bean name
	 */
	String containerFactory() default "";

	/**
	 * Bean name of an {@link io.github.nsqspring.boot.listener.NsqListenerErrorHandler}
	 * called when the method fails, before the container's error handling.
	 * @return the bean name
	 */
	String errorHandler() default "";

}
