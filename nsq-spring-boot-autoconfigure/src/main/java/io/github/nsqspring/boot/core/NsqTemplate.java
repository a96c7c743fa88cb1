package io.github.nsqspring.boot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.nsqspring.boot.metrics.NsqTemplateMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.boot.observation.NsqMessageSenderContext;
import io.github.nsqspring.boot.observation.NsqTemplateObservation;
import io.github.nsqspring.boot.observation.NsqTemplateObservationConvention;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.github.nsqspring.core.protocol.NsqNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;
import org.springframework.util.MimeType;

/**
 * The standard {@link NsqOperations}, over one thread-safe {@link NsqProducer}. Share one
 * template across the application. It does not own the producer: closing the producer is
 * left to whoever created it (the application context, for the auto-configured one).
 * <p>
 * Observability, all off by default:
 * <ul>
 * <li>{@link #setEnvelopeEnabled(boolean) envelope}: bodies are written in the
 * {@link NsqEnvelope} format, carrying the headers of sent {@link Message}s and the trace
 * context;</li>
 * <li>{@link #setObservationEnabled(boolean) observation}: each send is observed
 * ({@link NsqTemplateObservation}) through the
 * {@link #setObservationRegistry(ObservationRegistry) registry}; a tracer's propagator
 * writes the trace context into the envelope headers;</li>
 * <li>{@link #setMetrics(NsqTemplateMetrics) metrics}: publish counters and latency per
 * topic.</li>
 * </ul>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqTemplate implements NsqOperations, BeanNameAware {

	private static final LogAccessor logger = new LogAccessor(NsqTemplate.class);

	private final NsqProducer producer;

	private String beanName = "nsqTemplate";

	private boolean envelopeEnabled;

	private boolean observationEnabled;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqTemplateObservationConvention observationConvention;

	private @Nullable NsqTemplateMetrics metrics;

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
	public void setBeanName(String name) {
		this.beanName = name;
	}

	/**
	 * Whether bodies are written in the {@link NsqEnvelope} format (default false: the
	 * body is the payload). With it on, the headers of a {@link Message} given to
	 * {@link #send(String, Message)} (other than Spring's {@code id} and
	 * {@code timestamp} and the {@code nsq_*} headers) and the trace context travel with
	 * the message; {@code @NsqListener}s recognise enveloped messages whatever their
	 * settings, but raw consumers in other languages see the envelope bytes (see
	 * {@code docs/envelope.md}). Header values are sent as text: {@code String}, numbers,
	 * booleans, enums, {@code UUID}, {@code MimeType} and {@code Charset}; headers of
	 * other types are left out.
	 * @param envelopeEnabled {@code true} to envelope every body
	 */
	public void setEnvelopeEnabled(boolean envelopeEnabled) {
		this.envelopeEnabled = envelopeEnabled;
	}

	/**
	 * Whether bodies are enveloped.
	 * @return {@code true} when the envelope is on
	 */
	public boolean isEnvelopeEnabled() {
		return this.envelopeEnabled;
	}

	/**
	 * Whether each send is observed ({@link NsqTemplateObservation}), default false.
	 * @param observationEnabled {@code true} to observe sends
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	/**
	 * The registry of send observations (default {@link ObservationRegistry#NOOP}).
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * A convention replacing {@link DefaultNsqTemplateObservationConvention}.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable NsqTemplateObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Record publish meters (default none). Needs micrometer-core.
	 * @param metrics the meters, or {@code null} for none
	 */
	public void setMetrics(@Nullable NsqTemplateMetrics metrics) {
		this.metrics = metrics;
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
		return doSend(topic, List.of(toBody(payload)), List.of(), null);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(Object payload) {
		return sendAsync(requireDefaultTopic(), payload);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(String topic, Message<?> message) {
		Assert.notNull(message, "'message' must not be null");
		Duration delay = delayOf(message);
		return doSend(topic, List.of(toBody(message.getPayload())), List.of(envelopeHeaders(message.getHeaders())),
				delay);
	}

	@Override
	public NsqSendResult sendDeferred(String topic, Object payload, Duration delay) {
		return await(sendDeferredAsync(topic, payload, delay));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendDeferredAsync(String topic, Object payload, Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "'delay' must not be negative, was " + delay);
		return doSend(topic, List.of(toBody(payload)), List.of(), delay);
	}

	@Override
	public NsqSendResult sendBatch(String topic, Collection<?> payloads) {
		return await(sendBatchAsync(topic, payloads));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendBatchAsync(String topic, Collection<?> payloads) {
		Assert.notEmpty(payloads, "'payloads' must contain at least one payload");
		List<byte[]> bodies = new ArrayList<>(payloads.size());
		List<Map<String, String>> headers = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			if (payload instanceof Message<?> message) {
				bodies.add(toBody(message.getPayload()));
				headers.add(envelopeHeaders(message.getHeaders()));
			}
			else {
				bodies.add(toBody(payload));
				headers.add(Collections.emptyMap());
			}
		}
		return doSend(topic, bodies, headers, null);
	}

	/**
	 * The one publish path: every send method ends here.
	 * @param payloads the converted payloads
	 * @param headers the envelope headers of each payload, or an empty list for none
	 */
	private CompletableFuture<NsqSendResult> doSend(@Nullable String topic, List<byte[]> payloads,
			List<Map<String, String>> headers, @Nullable Duration delay) {
		String target = NsqNames.requireValidTopic(resolveTopic(topic));
		Map<String, String> carrier = new LinkedHashMap<>();
		Observation observation = observation(target, payloads.size(), delay != null, carrier);
		long start = System.nanoTime();
		observation.start();
		CompletableFuture<PublishResult> published;
		try {
			List<byte[]> bodies = this.envelopeEnabled ? envelope(payloads, headers, carrier) : payloads;
			if (delay != null) {
				published = this.producer.deferredPublishAsync(target, delay, bodies.get(0));
			}
			else if (bodies.size() == 1) {
				published = this.producer.publishAsync(target, bodies.get(0));
			}
			else {
				published = this.producer.multiPublishAsync(target, bodies);
			}
		}
		catch (RuntimeException ex) {
			completed(observation, target, payloads.size(), start, ex);
			throw ex;
		}
		return published.whenComplete((result, ex) -> completed(observation, target, payloads.size(), start, ex))
			.thenApply((result) -> new NsqSendResult(result.topic(), result.messageCount(), result.nsqdAddress()));
	}

	private Observation observation(String topic, int messageCount, boolean deferred, Map<String, String> carrier) {
		if (!this.observationEnabled || this.observationRegistry.isNoop()) {
			return Observation.NOOP;
		}
		return NsqTemplateObservation.TEMPLATE_OBSERVATION.observation(this.observationConvention,
				DefaultNsqTemplateObservationConvention.INSTANCE,
				() -> new NsqMessageSenderContext(carrier, this.beanName, topic, messageCount, deferred),
				this.observationRegistry);
	}

	private void completed(Observation observation, String topic, int messageCount, long start,
			@Nullable Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause != null) {
			observation.error(cause);
		}
		observation.stop();
		NsqTemplateMetrics publishMetrics = this.metrics;
		if (publishMetrics != null) {
			publishMetrics.record(topic, messageCount, System.nanoTime() - start, cause);
		}
	}

	private static List<byte[]> envelope(List<byte[]> payloads, List<Map<String, String>> headers,
			Map<String, String> carrier) {
		List<byte[]> bodies = new ArrayList<>(payloads.size());
		for (int i = 0; i < payloads.size(); i++) {
			Map<String, String> messageHeaders = (i < headers.size()) ? headers.get(i) : Collections.emptyMap();
			Map<String, String> all = messageHeaders;
			if (!carrier.isEmpty()) {
				// the observation's trace context replaces a stale one copied from a
				// received message
				all = new LinkedHashMap<>(messageHeaders);
				all.putAll(carrier);
			}
			bodies.add(NsqEnvelope.encode(all, payloads.get(i)));
		}
		return bodies;
	}

	private static Map<String, String> envelopeHeaders(MessageHeaders headers) {
		Map<String, String> result = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (MessageHeaders.ID.equals(name) || MessageHeaders.TIMESTAMP.equals(name)
					|| name.startsWith(NsqHeaders.PREFIX) || value == null) {
				return;
			}
			if (value instanceof String || value instanceof Number || value instanceof Boolean
					|| value instanceof Character || value instanceof UUID || value instanceof MimeType
					|| value instanceof java.nio.charset.Charset) {
				result.put(name, value.toString());
			}
			else if (value instanceof Enum<?> constant) {
				result.put(name, constant.name());
			}
			else {
				logger.debug(() -> "Header '" + name + "' of type " + value.getClass().getName()
						+ " is not sent: envelope headers are text");
			}
		});
		return result;
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
