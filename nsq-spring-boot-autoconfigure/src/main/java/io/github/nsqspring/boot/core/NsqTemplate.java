package io.github.nsqspring.boot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.github.nsqspring.boot.metrics.NsqTemplateMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.boot.observation.NsqMessageSenderContext;
import io.github.nsqspring.boot.observation.NsqTemplateObservation;
import io.github.nsqspring.boot.observation.NsqTemplateObservationConvention;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.converter.NsqMessageConverter;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import io.github.nsqspring.core.protocol.NsqNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.util.Assert;
import org.springframework.util.MimeType;

/**
 * The standard {@link NsqOperations}, over one thread-safe {@link NsqProducer}. Share one
 * template across the application. It does not own the producer: closing the producer is
 * left to whoever created it (the application context, for the auto-configured one).
 * <p>
 * The blocking methods ({@code send}, {@code sendDeferred}, {@code sendBatch}) use the
 * producer's synchronous publish, which waits for nsqd's answer as the producer's
 * {@code syncWaitSpin} says ({@code nsq.producer.sync-wait-spin}); the {@code ...Async}
 * methods return the producer's future. Both are observed and metered the same way.
 * <p>
 * Payloads are converted by an {@link NsqMessageConverter}: by default (whichever
 * constructor) {@code byte[]} as is, {@code String} as UTF-8 and other types as JSON when
 * Jackson 3 is on the class path ({@link DefaultNsqMessageConverter#create()}), the same
 * as {@code @NsqListener} methods.
 * <p>
 * Observability, all off by default:
 * <ul>
 * <li>{@link #setEnvelopeEnabled(boolean) envelope}: bodies are written in the
 * {@link NsqEnvelope} format, carrying the headers of sent {@link Message}s, the payload
 * type hint ({@link NsqHeaders#TYPE}) and the trace context;</li>
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
public class NsqTemplate implements NsqOperations, BeanNameAware, ApplicationContextAware, SmartInitializingSingleton {

	private static final LogAccessor logger = new LogAccessor(NsqTemplate.class);

	/**
	 * Headers that describe one received message (or ask for a delay) and so never travel
	 * with a message sent on: the frame's NSQ headers and Spring's own.
	 */
	private static final Set<String> LOCAL_HEADERS = Set.of(MessageHeaders.ID, MessageHeaders.TIMESTAMP, NsqHeaders.ID,
			NsqHeaders.ATTEMPTS, NsqHeaders.TIMESTAMP, NsqHeaders.NSQD_ADDRESS, NsqHeaders.TOPIC, NsqHeaders.CHANNEL,
			NsqHeaders.RAW_MESSAGE, NsqHeaders.DELAY);

	private final NsqProducer producer;

	private String beanName = "nsqTemplate";

	private boolean envelopeEnabled;

	private boolean observationEnabled;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqTemplateObservationConvention observationConvention;

	private @Nullable ApplicationContext applicationContext;

	private @Nullable NsqTemplateMetrics metrics;

	private NsqMessageConverter messageConverter;

	private @Nullable String defaultTopic;

	/**
	 * A template with the default conversion: {@code byte[]} as is, {@code String} as
	 * UTF-8, other types as JSON when Jackson 3 is on the class path.
	 * @param producer the producer
	 * @see DefaultNsqMessageConverter#create()
	 */
	public NsqTemplate(NsqProducer producer) {
		this(producer, DefaultNsqMessageConverter.create());
	}

	/**
	 * A template with a payload converter.
	 * @param producer the producer
	 * @param messageConverter converts payloads to bodies
	 */
	public NsqTemplate(NsqProducer producer, NsqMessageConverter messageConverter) {
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
	public NsqMessageConverter getMessageConverter() {
		return this.messageConverter;
	}

	/**
	 * Set the payload converter.
	 * @param messageConverter the converter
	 */
	public void setMessageConverter(NsqMessageConverter messageConverter) {
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

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	/**
	 * A template bean whose observation is on but that was given no registry takes the
	 * context's {@link ObservationRegistry} and {@link NsqTemplateObservationConvention},
	 * as {@code KafkaTemplate} does, so a second template the application builds is
	 * observed like the auto-configured one.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (!this.observationEnabled || !this.observationRegistry.isNoop() || this.applicationContext == null) {
			return;
		}
		this.observationRegistry = this.applicationContext.getBeanProvider(ObservationRegistry.class)
			.getIfUnique(() -> this.observationRegistry);
		if (this.observationConvention == null) {
			this.observationConvention = this.applicationContext.getBeanProvider(NsqTemplateObservationConvention.class)
				.getIfUnique();
		}
	}

	/**
	 * Whether bodies are written in the {@link NsqEnvelope} format (default false: the
	 * body is the payload). With it on, the headers of a {@link Message} given to
	 * {@link #send(String, Message)}, the payload's type hint ({@link NsqHeaders#TYPE})
	 * and the trace context travel with the message; {@code @NsqListener}s recognise
	 * enveloped messages whatever their settings, but raw consumers in other languages
	 * see the envelope bytes (see {@code docs/envelope.md}). Spring's {@code id} and
	 * {@code timestamp} and the NSQ headers of a received message ({@code nsq_id},
	 * {@code nsq_attempts}, {@code nsq_topic}, ...) are never sent. Header values are
	 * sent as text: {@code String}, numbers, booleans, enums, {@code UUID},
	 * {@code MimeType} and {@code Charset}; headers of other types are left out.
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
	 * The registry of send observations (default {@link ObservationRegistry#NOOP}; a
	 * template bean with observation on takes the context's registry when none is set).
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
		if (payload instanceof Message<?> message) {
			return send(topic, message);
		}
		if (payload instanceof byte[] bytes && isPlain()) {
			return toResult(this.producer.publish(requireTopic(topic), bytes));
		}
		return sendNow(topic, List.of(outgoing(payload, null)), null);
	}

	@Override
	public NsqSendResult send(Object payload) {
		return send(requireDefaultTopic(), payload);
	}

	@Override
	public NsqSendResult send(String topic, Message<?> message) {
		Assert.notNull(message, "'message' must not be null");
		return sendNow(topic, List.of(outgoing(message.getPayload(), message.getHeaders())), delayOf(message));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(String topic, Object payload) {
		if (payload instanceof Message<?> message) {
			return sendAsync(topic, message);
		}
		if (payload instanceof byte[] bytes && isPlain()) {
			return this.producer.publishAsync(requireTopic(topic), bytes).thenApply(NsqTemplate::toResult);
		}
		return sendLater(topic, List.of(outgoing(payload, null)), null);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(Object payload) {
		return sendAsync(requireDefaultTopic(), payload);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendAsync(String topic, Message<?> message) {
		Assert.notNull(message, "'message' must not be null");
		return sendLater(topic, List.of(outgoing(message.getPayload(), message.getHeaders())), delayOf(message));
	}

	@Override
	public NsqSendResult sendDeferred(String topic, Object payload, Duration delay) {
		return sendNow(topic, List.of(outgoingOf(payload)), checkDelay(delay));
	}

	@Override
	public CompletableFuture<NsqSendResult> sendDeferredAsync(String topic, Object payload, Duration delay) {
		return sendLater(topic, List.of(outgoingOf(payload)), checkDelay(delay));
	}

	@Override
	public NsqSendResult sendBatch(String topic, Collection<?> payloads) {
		return sendNow(topic, outgoing(payloads), null);
	}

	@Override
	public CompletableFuture<NsqSendResult> sendBatchAsync(String topic, Collection<?> payloads) {
		return sendLater(topic, outgoing(payloads), null);
	}

	/**
	 * Whether a send has nothing to observe, meter or envelope: a {@code byte[]} payload
	 * then goes to the producer as it is, without the bookkeeping of
	 * {@link #sendNow}/{@link #sendLater} per message (issue 15).
	 */
	private boolean isPlain() {
		return !this.envelopeEnabled && this.metrics == null
				&& (!this.observationEnabled || this.observationRegistry.isNoop());
	}

	private String requireTopic(@Nullable String topic) {
		return NsqNames.requireValidTopic((topic != null) ? topic : requireDefaultTopic());
	}

	/**
	 * The blocking publish path: every blocking send method but the plain one ends here.
	 */
	private NsqSendResult sendNow(@Nullable String topic, List<Outgoing> messages, @Nullable Duration delay) {
		Publication publication = start(topic, messages, delay);
		PublishResult result;
		try {
			List<byte[]> bodies = publication.bodies;
			if (delay != null) {
				result = this.producer.deferredPublish(publication.topic, delay, bodies.get(0));
			}
			else if (bodies.size() == 1) {
				result = this.producer.publish(publication.topic, bodies.get(0));
			}
			else {
				result = this.producer.multiPublish(publication.topic, bodies);
			}
		}
		catch (RuntimeException | Error ex) {
			publication.completed(ex);
			throw ex;
		}
		publication.completed(null);
		return toResult(result);
	}

	/**
	 * The asynchronous publish path: every asynchronous send method ends here.
	 */
	private CompletableFuture<NsqSendResult> sendLater(@Nullable String topic, List<Outgoing> messages,
			@Nullable Duration delay) {
		Publication publication = start(topic, messages, delay);
		CompletableFuture<PublishResult> published;
		try {
			List<byte[]> bodies = publication.bodies;
			if (delay != null) {
				published = this.producer.deferredPublishAsync(publication.topic, delay, bodies.get(0));
			}
			else if (bodies.size() == 1) {
				published = this.producer.publishAsync(publication.topic, bodies.get(0));
			}
			else {
				published = this.producer.multiPublishAsync(publication.topic, bodies);
			}
		}
		catch (RuntimeException ex) {
			publication.completed(ex);
			throw ex;
		}
		return published.whenComplete((result, ex) -> publication.completed(ex)).thenApply(NsqTemplate::toResult);
	}

	/**
	 * Check the topic (the default one when {@code null}), start the observation (which
	 * may fill the trace context) and write the bodies.
	 */
	private Publication start(@Nullable String topic, List<Outgoing> messages, @Nullable Duration delay) {
		String target = requireTopic(topic);
		Map<String, String> carrier = new LinkedHashMap<>();
		Observation observation = observation(target, messages.size(), delay != null, carrier);
		Publication publication = new Publication(target, messages.size(), observation);
		observation.start();
		try {
			publication.bodies = this.envelopeEnabled ? envelope(messages, carrier) : payloads(messages);
		}
		catch (RuntimeException ex) {
			publication.completed(ex);
			throw ex;
		}
		return publication;
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

	private static NsqSendResult toResult(PublishResult result) {
		return new NsqSendResult(result.topic(), result.messageCount(), result.nsqdAddress());
	}

	private static List<byte[]> payloads(List<Outgoing> messages) {
		if (messages.size() == 1) {
			return List.of(messages.get(0).payload());
		}
		List<byte[]> bodies = new ArrayList<>(messages.size());
		for (Outgoing message : messages) {
			bodies.add(message.payload());
		}
		return bodies;
	}

	private static List<byte[]> envelope(List<Outgoing> messages, Map<String, String> carrier) {
		List<byte[]> bodies = new ArrayList<>(messages.size());
		for (Outgoing message : messages) {
			Map<String, String> all = message.headers();
			if (!carrier.isEmpty()) {
				// the observation's trace context replaces a stale one copied from a
				// received message
				all = new LinkedHashMap<>(all);
				all.putAll(carrier);
			}
			bodies.add(NsqEnvelope.encode(all, message.payload()));
		}
		return bodies;
	}

	private List<Outgoing> outgoing(Collection<?> payloads) {
		Assert.notEmpty(payloads, "'payloads' must contain at least one payload");
		List<Outgoing> messages = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			if (payload instanceof Message<?> message && message.getHeaders().containsKey(NsqHeaders.DELAY)) {
				// dropping the delay would deliver the message at once
				throw new IllegalArgumentException("Message " + messages.size() + " of the batch has header "
						+ NsqHeaders.DELAY + "=" + message.getHeaders().get(NsqHeaders.DELAY)
						+ ", but a batch (MPUB) cannot defer its messages: send it with sendDeferred");
			}
			messages.add(outgoingOf(payload));
		}
		return messages;
	}

	/**
	 * A payload, or a {@link Message}'s payload with its headers.
	 */
	private Outgoing outgoingOf(@Nullable Object payload) {
		if (payload instanceof Message<?> message) {
			return outgoing(message.getPayload(), message.getHeaders());
		}
		return outgoing(payload, null);
	}

	/**
	 * Convert a payload; with the envelope on, also collect its headers and type hint.
	 */
	private Outgoing outgoing(@Nullable Object payload, @Nullable MessageHeaders messageHeaders) {
		Assert.notNull(payload, "'payload' must not be null: NSQ messages cannot be empty");
		if (payload instanceof byte[] bytes) {
			return new Outgoing(bytes,
					this.envelopeEnabled ? envelopeHeaders(messageHeaders, null) : Collections.emptyMap());
		}
		Message<?> converted = this.messageConverter.toMessage(payload, null);
		if (converted == null) {
			throw new MessageConversionException("Cannot convert payload of type " + payload.getClass().getName()
					+ " with " + this.messageConverter.getClass().getName());
		}
		Object body = converted.getPayload();
		byte[] bytes;
		if (body instanceof byte[] raw) {
			bytes = raw;
		}
		else if (body instanceof String text) {
			bytes = text.getBytes(StandardCharsets.UTF_8);
		}
		else {
			throw new MessageConversionException("Converter " + this.messageConverter.getClass().getName()
					+ " produced a " + body.getClass().getName() + " payload; byte[] or String is required");
		}
		if (!this.envelopeEnabled) {
			return new Outgoing(bytes, Collections.emptyMap());
		}
		return new Outgoing(bytes, envelopeHeaders(messageHeaders, converted.getHeaders().get(NsqHeaders.TYPE)));
	}

	private static Map<String, String> envelopeHeaders(@Nullable MessageHeaders headers, @Nullable Object type) {
		Map<String, String> result = new LinkedHashMap<>();
		if (headers != null) {
			headers.forEach((name, value) -> {
				if (LOCAL_HEADERS.contains(name) || value == null) {
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
		}
		if (type != null) {
			// the converter knows the type of what it converted; a hint copied from a
			// received message may describe another payload
			result.put(NsqHeaders.TYPE, type.toString());
		}
		return result;
	}

	private String requireDefaultTopic() {
		String topic = this.defaultTopic;
		Assert.state(topic != null,
				"No topic given and no default topic set: pass a topic or set 'nsq.template.default-topic'");
		return topic;
	}

	private static Duration checkDelay(@Nullable Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		Assert.isTrue(!delay.isNegative(), () -> "'delay' must not be negative, was " + delay);
		return delay;
	}

	private static @Nullable Duration delayOf(Message<?> message) {
		Object delay = message.getHeaders().get(NsqHeaders.DELAY);
		if (delay == null) {
			return null;
		}
		if (delay instanceof Duration duration) {
			return checkDelay(duration);
		}
		if (delay instanceof Number millis) {
			return checkDelay(Duration.ofMillis(millis.longValue()));
		}
		if (delay instanceof String text) {
			return checkDelay(Duration.ofMillis(Long.parseLong(text.trim())));
		}
		throw new IllegalArgumentException("Header " + NsqHeaders.DELAY + " must be a Duration or milliseconds, was "
				+ delay.getClass().getName());
	}

	/**
	 * One message to publish: the converted payload and, with the envelope on, its
	 * headers.
	 */
	private record Outgoing(byte[] payload, Map<String, String> headers) {

	}

	/**
	 * One send under way: its observation and meters, completed exactly once.
	 */
	private final class Publication {

		private final String topic;

		private final int messageCount;

		private final Observation observation;

		private final long startNanos = System.nanoTime();

		private List<byte[]> bodies = List.of();

		Publication(String topic, int messageCount, Observation observation) {
			this.topic = topic;
			this.messageCount = messageCount;
			this.observation = observation;
		}

		void completed(@Nullable Throwable failure) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause != null) {
				this.observation.error(cause);
			}
			this.observation.stop();
			NsqTemplateMetrics publishMetrics = NsqTemplate.this.metrics;
			if (publishMetrics != null) {
				publishMetrics.record(this.topic, this.messageCount, System.nanoTime() - this.startNanos, cause);
			}
		}

	}

}
