package io.github.nsqspring.boot.listener.adapter;

import java.io.Serial;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of a received NSQ message, computed when asked for instead of copied into
 * maps per message: the {@link NsqHeaders} of the frame and the subscription, the
 * envelope's headers, and Spring's {@code id} and {@code timestamp}. A listener that
 * takes only its payload then costs no header map at all (issue 15), and one that reads a
 * header by name ({@code @Header}, {@link #get(Object)}) gets it without a map either.
 * <p>
 * The values are those an eagerly built {@link MessageHeaders} would hold: the NSQ
 * headers win over envelope headers of the same name; {@code timestamp} is taken when the
 * headers are created; {@code id} comes from Spring's id generator the first time it is
 * read (so it is stable from then on). Whole-map views ({@link #entrySet()},
 * {@link #keySet()}, {@link #size()}, {@link #toString()}, equality, serialization) first
 * copy every header into the underlying map, once.
 *
 * @author nsq-spring
 */
final class NsqMessageHeaders extends MessageHeaders {

	@Serial
	private static final long serialVersionUID = 1L;

	private final transient NsqMessage message;

	private final String topic;

	private final String channel;

	private final Map<String, String> envelopeHeaders;

	private final long timestamp = System.currentTimeMillis();

	private volatile @Nullable UUID id;

	private volatile @Nullable String idText;

	private volatile boolean materialized;

	/**
	 * Headers of a received message.
	 * @param message the NSQ message
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @param envelopeHeaders the envelope's headers, empty for a raw body
	 */
	NsqMessageHeaders(NsqMessage message, String topic, String channel, Map<String, String> envelopeHeaders) {
		super(null, ID_VALUE_NONE, -1L);
		this.message = message;
		this.topic = topic;
		this.channel = channel;
		this.envelopeHeaders = envelopeHeaders;
	}

	@Override
	public @Nullable Object get(Object key) {
		if (!(key instanceof String name)) {
			return null;
		}
		return switch (name) {
			case ID -> id();
			case TIMESTAMP -> this.timestamp;
			case NsqHeaders.ID -> nsqId();
			case NsqHeaders.ATTEMPTS -> this.message.attempts();
			case NsqHeaders.TIMESTAMP -> this.message.timestamp();
			case NsqHeaders.NSQD_ADDRESS -> this.message.nsqdAddress();
			case NsqHeaders.TOPIC -> this.topic;
			case NsqHeaders.CHANNEL -> this.channel;
			case NsqHeaders.RAW_MESSAGE -> this.message;
			default -> this.envelopeHeaders.get(name);
		};
	}

	@Override
	public boolean containsKey(Object key) {
		if (!(key instanceof String name)) {
			return false;
		}
		return switch (name) {
			case ID, TIMESTAMP, NsqHeaders.ID, NsqHeaders.ATTEMPTS, NsqHeaders.TIMESTAMP, NsqHeaders.NSQD_ADDRESS,
					NsqHeaders.TOPIC, NsqHeaders.CHANNEL, NsqHeaders.RAW_MESSAGE ->
				true;
			default -> this.envelopeHeaders.containsKey(name);
		};
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Class<T> type) {
		Object value = get(key);
		if (value == null) {
			return null;
		}
		if (!type.isAssignableFrom(value.getClass())) {
			throw new IllegalArgumentException("Incorrect type specified for header '" + key + "'. Expected [" + type
					+ "] but actual type is [" + value.getClass() + "]");
		}
		return (T) value;
	}

	@Override
	public UUID getId() {
		return id();
	}

	@Override
	public Long getTimestamp() {
		return this.timestamp;
	}

	@Override
	public @Nullable Object getReplyChannel() {
		return get(REPLY_CHANNEL);
	}

	@Override
	public @Nullable Object getErrorChannel() {
		return get(ERROR_CHANNEL);
	}

	@Override
	public boolean containsValue(Object value) {
		return materialized().containsValue(value);
	}

	@Override
	public Set<Map.Entry<String, Object>> entrySet() {
		materialized();
		return super.entrySet();
	}

	@Override
	public Set<String> keySet() {
		materialized();
		return super.keySet();
	}

	@Override
	public Collection<Object> values() {
		materialized();
		return super.values();
	}

	@Override
	public int size() {
		return materialized().size();
	}

	@Override
	public boolean isEmpty() {
		// id and timestamp are always there
		return false;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof MessageHeaders that && materialized().equals(that));
	}

	@Override
	public int hashCode() {
		return materialized().hashCode();
	}

	@Override
	public String toString() {
		return materialized().toString();
	}

	private UUID id() {
		UUID current = this.id;
		if (current == null) {
			synchronized (this) {
				current = this.id;
				if (current == null) {
					current = getIdGenerator().generateId();
					this.id = current;
				}
			}
		}
		return current;
	}

	private String nsqId() {
		String current = this.idText;
		if (current == null) {
			current = this.message.idText();
			this.idText = current;
		}
		return current;
	}

	/**
	 * The underlying map, holding every header once filled.
	 */
	private Map<String, Object> materialized() {
		Map<String, Object> headers = getRawHeaders();
		if (!this.materialized) {
			synchronized (this) {
				if (!this.materialized) {
					// envelope headers first: the NSQ headers are never taken from them
					headers.putAll(this.envelopeHeaders);
					headers.put(ID, id());
					headers.put(TIMESTAMP, this.timestamp);
					headers.put(NsqHeaders.ID, nsqId());
					headers.put(NsqHeaders.ATTEMPTS, this.message.attempts());
					headers.put(NsqHeaders.TIMESTAMP, this.message.timestamp());
					headers.put(NsqHeaders.NSQD_ADDRESS, this.message.nsqdAddress());
					headers.put(NsqHeaders.TOPIC, this.topic);
					headers.put(NsqHeaders.CHANNEL, this.channel);
					headers.put(NsqHeaders.RAW_MESSAGE, this.message);
					this.materialized = true;
				}
			}
		}
		return headers;
	}

	/**
	 * Serialized as plain {@link MessageHeaders} with the same headers, id and timestamp
	 * (the raw message is left out, as values that are not serializable always are).
	 */
	@Serial
	private Object writeReplace() {
		return new Snapshot(materialized(), id(), this.timestamp);
	}

	/**
	 * Headers with a given id and timestamp.
	 */
	private static final class Snapshot extends MessageHeaders {

		@Serial
		private static final long serialVersionUID = 1L;

		Snapshot(Map<String, Object> headers, UUID id, Long timestamp) {
			super(headers, id, timestamp);
		}

	}

}
