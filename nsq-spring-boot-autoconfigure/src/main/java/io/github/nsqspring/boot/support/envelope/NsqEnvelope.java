package io.github.nsqspring.boot.support.envelope;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The NSQ message envelope, version 1: string headers in front of the payload, in one NSQ
 * message body. NSQ messages have no headers, so the trace context, dead-letter details
 * and application headers travel in this envelope when it is switched on
 * ({@code nsq.envelope.enabled=true}; off by default, when bodies are the raw payload).
 * Listeners recognise an enveloped message by its first bytes, whatever their own
 * setting, so raw and enveloped messages can share a topic.
 * <h2>Byte layout (version 1)</h2> All integers are unsigned, big-endian (network order).
 *
 * <pre>
 * offset  size  field
 * 0       4     magic: 0xFF 0x4E 0x51 0x45   (0xFF, then ASCII "NQE")
 * 4       1     version: 0x01
 * 5       2     header count n (0..65535)
 * 7       ...   n headers, each:
 *                 2  key length k (1..65535)
 *                 k  key, UTF-8
 *                 4  value length v (0..2^31-1)
 *                 v  value, UTF-8
 * ...     rest  the original payload bytes, unchanged (may be empty)
 * </pre>
 *
 * The magic starts with {@code 0xFF}, a byte that never occurs in UTF-8 text (so never in
 * JSON, XML or plain-text payloads), cannot start a protobuf message (it would be wire
 * type 7) and is neither a gzip nor a UTF-16 byte order mark prefix.
 * <h2>Decoding rules</h2>
 * <ul>
 * <li>A body that does not start with the magic is raw: it is the payload, no
 * headers.</li>
 * <li>A body that starts with the magic but cannot be parsed as a whole (unknown version,
 * truncated, a length past the end, an empty key, a duplicate key, invalid UTF-8) is also
 * treated as raw and delivered unchanged: a payload that merely happens to start with
 * these bytes is never lost or rejected.</li>
 * <li>Header keys are case-sensitive; duplicate keys make the envelope invalid.</li>
 * </ul>
 * Consumers in other languages can read enveloped messages by skipping the headers as
 * above; see {@code docs/envelope.md}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public final class NsqEnvelope {

	/** The four magic bytes every enveloped body starts with. */
	private static final byte[] MAGIC = { (byte) 0xFF, 'N', 'Q', 'E' };

	/** The current (and only) version. */
	public static final int VERSION = 1;

	/** Length of magic, version and header count. */
	private static final int PREFIX_LENGTH = MAGIC.length + 1 + 2;

	private static final int MAX_HEADERS = 0xFFFF;

	private static final int MAX_KEY_LENGTH = 0xFFFF;

	private final Map<String, String> headers;

	private final byte[] payload;

	private NsqEnvelope(Map<String, String> headers, byte[] payload) {
		this.headers = headers;
		this.payload = payload;
	}

	/**
	 * The headers.
	 * @return an unmodifiable map, in the order they were written; empty for a raw body
	 */
	public Map<String, String> getHeaders() {
		return this.headers;
	}

	/**
	 * The payload.
	 * @return the payload bytes (the whole body for a raw body)
	 */
	public byte[] getPayload() {
		return this.payload;
	}

	/**
	 * The magic bytes (a copy), for documentation and interoperability tests.
	 * @return {@code FF 4E 51 45}
	 */
	public static byte[] magic() {
		return MAGIC.clone();
	}

	/**
	 * Whether a body starts with the envelope magic. It may still be raw: use
	 * {@link #decode(byte[])} to know.
	 * @param body a message body
	 * @return {@code true} when the first four bytes are the magic
	 */
	public static boolean hasMagic(byte[] body) {
		return body.length >= PREFIX_LENGTH && body[0] == MAGIC[0] && body[1] == MAGIC[1] && body[2] == MAGIC[2]
				&& body[3] == MAGIC[3];
	}

	/**
	 * Wrap a payload and headers into an envelope.
	 * @param headers the headers; keys not empty, at most 65535 UTF-8 bytes; at most
	 * 65535 headers
	 * @param payload the payload
	 * @return the enveloped body
	 * @throws IllegalArgumentException when a key is empty or too long, or there are too
	 * many headers
	 */
	public static byte[] encode(Map<String, String> headers, byte[] payload) {
		Assert.notNull(headers, "'headers' must not be null");
		Assert.notNull(payload, "'payload' must not be null");
		Assert.isTrue(headers.size() <= MAX_HEADERS,
				() -> "At most " + MAX_HEADERS + " headers fit in an envelope, got " + headers.size());
		byte[][] encoded = new byte[headers.size() * 2][];
		int size = PREFIX_LENGTH + payload.length;
		int i = 0;
		for (Map.Entry<String, String> header : headers.entrySet()) {
			Assert.notNull(header.getKey(), "Header keys must not be null");
			Assert.notNull(header.getValue(), () -> "Header '" + header.getKey() + "' has a null value");
			byte[] key = header.getKey().getBytes(StandardCharsets.UTF_8);
			Assert.isTrue(key.length > 0 && key.length <= MAX_KEY_LENGTH,
					() -> "Header keys must have 1 to " + MAX_KEY_LENGTH + " UTF-8 bytes, got " + key.length);
			byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
			encoded[i++] = key;
			encoded[i++] = value;
			size += 2 + key.length + 4 + value.length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.put(MAGIC).put((byte) VERSION).putShort((short) headers.size());
		for (int j = 0; j < encoded.length; j += 2) {
			buffer.putShort((short) encoded[j].length).put(encoded[j]);
			buffer.putInt(encoded[j + 1].length).put(encoded[j + 1]);
		}
		buffer.put(payload);
		return buffer.array();
	}

	/**
	 * Read a body: the headers and payload of an envelope, or the body itself as payload
	 * when it is raw (including a body that starts with the magic but does not parse).
	 * @param body the message body
	 * @return the envelope; never {@code null}
	 */
	public static NsqEnvelope decode(byte[] body) {
		NsqEnvelope envelope = parse(body, true);
		return (envelope != null) ? envelope : new NsqEnvelope(Collections.emptyMap(), body);
	}

	/**
	 * Read only the headers of a body, without copying the payload.
	 * @param body the message body
	 * @return the headers, empty for a raw body
	 */
	public static Map<String, String> decodeHeaders(byte[] body) {
		NsqEnvelope envelope = parse(body, false);
		return (envelope != null) ? envelope.headers : Collections.emptyMap();
	}

	/**
	 * Whether a body is a valid envelope.
	 * @param body the message body
	 * @return {@code true} when {@link #decode(byte[])} finds headers and payload
	 */
	public static boolean isEnvelope(byte[] body) {
		return parse(body, false) != null;
	}

	private static @Nullable NsqEnvelope parse(byte[] body, boolean copyPayload) {
		if (!hasMagic(body) || body[4] != VERSION) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(body);
		buffer.position(MAGIC.length + 1);
		int count = Short.toUnsignedInt(buffer.getShort());
		Map<String, String> headers = new LinkedHashMap<>(Math.min(count, 64) * 2);
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		try {
			for (int i = 0; i < count; i++) {
				if (buffer.remaining() < 2) {
					return null;
				}
				int keyLength = Short.toUnsignedInt(buffer.getShort());
				if (keyLength == 0 || buffer.remaining() < keyLength + 4) {
					return null;
				}
				String key = read(decoder, buffer, keyLength);
				int valueLength = buffer.getInt();
				if (valueLength < 0 || buffer.remaining() < valueLength) {
					return null;
				}
				String value = read(decoder, buffer, valueLength);
				if (headers.put(key, value) != null) {
					return null;
				}
			}
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		byte[] payload = copyPayload ? Arrays.copyOfRange(body, buffer.position(), body.length) : body;
		return new NsqEnvelope(Collections.unmodifiableMap(headers), payload);
	}

	private static String read(CharsetDecoder decoder, ByteBuffer buffer, int length) throws CharacterCodingException {
		ByteBuffer slice = buffer.slice(buffer.position(), length);
		buffer.position(buffer.position() + length);
		CharBuffer chars = decoder.reset().decode(slice);
		return chars.toString();
	}

	@Override
	public String toString() {
		// header names only: values may hold data the application treats as private
		return "NsqEnvelope[headers=" + this.headers.keySet() + ", payload=" + this.payload.length + " bytes]";
	}

}
