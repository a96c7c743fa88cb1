package io.github.nsqspring.boot.core;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import org.springframework.messaging.Message;

/**
 * Publishing to NSQ. Payloads are converted to message bodies by an
 * {@link io.github.nsqspring.boot.support.converter.NsqMessageConverter}: by default
 * {@code byte[]} as is, {@code String} as UTF-8, other objects as JSON.
 * <p>
 * The blocking methods return once nsqd acknowledged (the message is then on nsqd) and
 * throw what went wrong; the asynchronous ones return a future that completes the same
 * way. Failures are an {@link io.github.nsqspring.core.NsqException} subtype (connection
 * lost, nsqd error, timeout, producer closed). Arguments are checked before anything is
 * sent, and bad ones are thrown at once, by the asynchronous methods too:
 * {@link IllegalStateException} when no topic is given and no default topic is set,
 * {@link io.github.nsqspring.core.NsqInvalidNameException} for an invalid topic name,
 * {@link org.springframework.messaging.converter.MessageConversionException} when a
 * payload cannot be converted.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqOperations {

	/**
	 * Publish a message and wait for nsqd's acknowledgment.
	 * @param topic the topic
	 * @param payload the payload
	 * @return the result
	 */
	NsqSendResult send(String topic, Object payload);

	/**
	 * Publish a message to the default topic and wait for nsqd's acknowledgment.
	 * @param payload the payload
	 * @return the result
	 * @throws IllegalStateException when no default topic is set
	 */
	NsqSendResult send(Object payload);

	/**
	 * Publish a Spring message and wait. NSQ messages have no headers: the payload is
	 * sent, and the headers travel only when the template writes the
	 * {@linkplain io.github.nsqspring.boot.support.envelope.NsqEnvelope envelope}
	 * ({@code nsq.envelope.enabled}); else they are dropped. A
	 * {@link io.github.nsqspring.boot.support.NsqHeaders#DELAY} header makes it a
	 * deferred publish.
	 * @param topic the topic
	 * @param message the message
	 * @return the result
	 */
	NsqSendResult send(String topic, Message<?> message);

	/**
	 * Publish a message without waiting.
	 * @param topic the topic
	 * @param payload the payload
	 * @return a future completed when nsqd acknowledged
	 */
	CompletableFuture<NsqSendResult> sendAsync(String topic, Object payload);

	/**
	 * Publish a message to the default topic without waiting.
	 * @param payload the payload
	 * @return a future completed when nsqd acknowledged
	 * @throws IllegalStateException when no default topic is set
	 */
	CompletableFuture<NsqSendResult> sendAsync(Object payload);

	/**
	 * Publish a Spring message without waiting.
	 * @param topic the topic
	 * @param message the message
	 * @return a future completed when nsqd acknowledged
	 */
	CompletableFuture<NsqSendResult> sendAsync(String topic, Message<?> message);

	/**
	 * Publish a message that nsqd delivers only after a delay (DPUB), and wait. A
	 * {@link Message} is sent as {@link #send(String, Message)} sends it, with this delay
	 * instead of any {@code NsqHeaders.DELAY} header.
	 * @param topic the topic
	 * @param payload the payload, or a {@link Message}
	 * @param delay the delay, up to nsqd's {@code --max-req-timeout} (1h by default)
	 * @return the result
	 */
	NsqSendResult sendDeferred(String topic, Object payload, Duration delay);

	/**
	 * Publish a deferred message without waiting.
	 * @param topic the topic
	 * @param payload the payload
	 * @param delay the delay
	 * @return a future completed when nsqd acknowledged
	 */
	CompletableFuture<NsqSendResult> sendDeferredAsync(String topic, Object payload, Duration delay);

	/**
	 * Publish several messages at once and atomically (MPUB), and wait. An element may be
	 * a {@link Message}, sent with its headers; MPUB cannot defer, so one with an
	 * {@code NsqHeaders.DELAY} header is refused ({@link IllegalArgumentException}).
	 * @param topic the topic
	 * @param payloads the payloads, at least one
	 * @return the result
	 */
	NsqSendResult sendBatch(String topic, Collection<?> payloads);

	/**
	 * Publish several messages atomically without waiting.
	 * @param topic the topic
	 * @param payloads the payloads, at least one
	 * @return a future completed when nsqd acknowledged
	 */
	CompletableFuture<NsqSendResult> sendBatchAsync(String topic, Collection<?> payloads);

}
