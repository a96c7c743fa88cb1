package io.github.nsqspring.boot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.github.nsqspring.core.protocol.NsqNames;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;

/**
 * The standard {@link NsqOperations}, over one thread-safe {@link NsqProducer}. Share one
 * template across the application. It does not own the producer: closing the producer is
 * left to whoever created it (the application context, for the auto-configured one).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqTemplate implements NsqOperations {

	private final NsqProducer producer;

	private MessageConverter messageConverter;

	private @Nullable String defaultTopic;

	/**
	 * A template converting {@code byte[]} and {@code String} payloads only.
	 * @param producer the producer
	 */
	public NsqTemplate(NsqProducer producer) {
		this(producer, new DefaultNsqMessageConverter());
	}

	/**
	 * A template with a payload converter.
	 * @param producer the producer
	 * @param messageConverter converts payloads to bodies: it must produce {@code byte[]}
	 * or {@code String} payloads
	 */
	public NsqTemplate(NsqProducer producer, MessageConverter messageConverter) {
		Assert.notNull(producer, "'producer' must not be null");
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.producer = producer;
		this.messageConverter = messageConverter;
	}

	/**
	 * The producer.
	 * @return the producer
	 */
	public NsqProducer getProducer() {
		return this.producer;
	}

	/**
	 * The payload converter.
	 * @return the converter
	 */
	public MessageConverter getMessageConverter() {
		return this.messageConverter;
	}

	/**
	 * Set the payload converter.
	 * @param messageConverter the converter
	 */
	public void setMessageConverter(MessageConverter messageConverter) {
		Assert.notNull(messageConverter, "'messageConverter' must not be null");
		this.messageConverter = messageConverter;
	}

	/**
	 * The topic of the send methods that take none.
	 * @return the default topic, or {@code null}
	 */
	public @Nullable String getDefaultTopic() {
		return this.defaultTopic;
	}

	/**
	 * Set the topic of the send methods that take none.
	 * @param defaultTopic a valid topic name, or {@code null}
	 */
	public void setDefaultTopic(@Nullable String defaultTopic) {
		this.defaultTopic = (defaultTopic != null) ? NsqNames.requireValidTopic(defaultTopic) : null;
	}

	@Override
	public NsqSendResult send(String topic, Object payload) {
		return await(sendAsync(topic, payload));
	}

	@Override
	public NsqSendResult send(Object payload) {
		return await(sendAsync(payload));
	}

	@Override
	public NsqSendResult send(String topic, Message<?> message) {
		return await(sendAsync(topic, message));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(String topic, Object payload) {
		if (payload instanceof Message<?> message) {
			return sendAsync(topic, message);
		}
		return doSend(topic, List.of(toBody(payload)), null);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(Object payload) {
		return sendAsync(requireDefaultTopic(), payload);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(String topic, Message<?> message) {
		Assert.notNull(message, "'message' must not be null");
		Duration delay = delayOf(message);
		return doSend(topic, List.of(toBody(message.getPayload())), delay);
	}

	@Override
	public NsqSendResult sendDeferred(String topic, Object payload, Duration delay) {
		return await(sendDeferredAsync(topic, payload, delay));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendDeferredAsync(String topic, Object payload, Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "'delay' must not be negative, was " + delay);
		return doSend(topic, List.of(toBody(payload)), delay);
	}

	@Override
	public NsqSendResult sendBatch(String topic, Collection<?> payloads) {
		return await(sendBatchAsync(topic, payloads));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendBatchAsync(String topic, Collection<?> payloads) {
		Assert.notEmpty(payloads, "'payloads' must contain at least one payload");
		List<byte[]> bodies = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			bodies.add(toBody((payload instanceof Message<?> message) ? message.getPayload() : payload));
		}
		return doSend(topic, bodies, null);
	}

	/**
	 * The one publish path: every send method ends here.
	 */
	private CompletableFuture<NsqSendResult> doSend(@Nullable String topic, List<byte[]> bodies,
			@Nullable Duration delay) {
		String target = NsqNames.requireValidTopic(resolveTopic(topic));
		CompletableFuture<PublishResult> published;
		if (delay != null) {
			published = this.producer.deferredPublishAsync(target, delay, bodies.get(0));
		}
		else if (bodies.size() == 1) {
			published = this.producer.publishAsync(target, bodies.get(0));
		}
		else {
			published = this.producer.multiPublishAsync(target, bodies);
		}
		return published
			.thenApply((result) -> new NsqSendResult(result.topic(), result.messageCount(), result.nsqdAddress()));
	}

	private String resolveTopic(@Nullable String topic) {
		if (topic != null) {
			return topic;
		}
		return requireDefaultTopic();
	}

	private String requireDefaultTopic() {
		String topic = this.defaultTopic;
		Assert.state(topic != null,
				"No topic given and no default topic set: pass a topic or set 'nsq.template.default-topic'");
		return topic;
	}

	private byte[] toBody(@Nullable Object payload) {
		Assert.notNull(payload, "'payload' must not be null: NSQ messages cannot be empty");
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		Message<?> converted = this.messageConverter.toMessage(payload, null);
		if (converted == null) {
			throw new MessageConversionException("Cannot convert payload of type " + payload.getClass().getName()
					+ " with " + this.messageConverter.getClass().getName());
		}
		Object body = converted.getPayload();
		if (body instanceof byte[] bytes) {
			return bytes;
		}
		if (body instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		throw new MessageConversionException("Converter " + this.messageConverter.getClass().getName() + " produced a "
				+ body.getClass().getName() + " payload; byte[] or String is required");
	}

	private static @Nullable Duration delayOf(Message<?> message) {
		Object delay = message.getHeaders().get(NsqHeaders.DELAY);
		if (delay == null) {
			return null;
		}
		if (delay instanceof Duration duration) {
			return duration;
		}
		if (delay instanceof Number millis) {
			return Duration.ofMillis(millis.longValue());
		}
		if (delay instanceof String text) {
			return Duration.ofMillis(Long.parseLong(text.trim()));
		}
		throw new IllegalArgumentException("Header " + NsqHeaders.DELAY + " must be a Duration or milliseconds, was "
				+ delay.getClass().getName());
	}

	private static NsqSendResult await(CompletableFuture<NsqSendResult> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NsqException("Interrupted while waiting for nsqd's answer", ex);
		}
		catch (ExecutionException | CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new NsqException("Publish failed: " + cause.getMessage(), cause);
		}
	}

}
