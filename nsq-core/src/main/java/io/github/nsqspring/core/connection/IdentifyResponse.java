package io.github.nsqspring.core.connection;

import java.util.Map;

import io.github.nsqspring.core.json.Json;

/**
 * What nsqd answered to IDENTIFY: its limits and the features it negotiated.
 *
 * @param featureNegotiation whether nsqd answered with JSON (all nsqd since 0.2.20); when
 * {@code false} the other values are the old defaults
 * @param version nsqd version, empty when unknown
 * @param maxRdyCount the largest RDY count nsqd accepts
 * @param maxMsgTimeout nsqd's max-msg-timeout in milliseconds (0 when unknown)
 * @param msgTimeout this connection's in-flight timeout in milliseconds (0 when unknown)
 * @param tlsV1 whether TLS was negotiated
 * @param deflate whether deflate was negotiated
 * @param deflateLevel the deflate level in use
 * @param snappy whether snappy was negotiated
 * @param sampleRate the sample rate in effect
 * @param authRequired whether AUTH must precede SUB and publishing
 * @param outputBufferSize nsqd's output buffer size for this connection
 * @param outputBufferTimeout nsqd's output flush timeout in milliseconds
 */
public record IdentifyResponse(boolean featureNegotiation, String version, long maxRdyCount, long maxMsgTimeout,
		long msgTimeout, boolean tlsV1, boolean deflate, int deflateLevel, boolean snappy, int sampleRate,
		boolean authRequired, long outputBufferSize, long outputBufferTimeout) {

	/**
	 * The max RDY count assumed for an nsqd that does not negotiate (go-nsq's default).
	 */
	public static final long DEFAULT_MAX_RDY_COUNT = 2500;

	/**
	 * The answer of an nsqd that replied {@code OK} instead of JSON.
	 * @return the defaults go-nsq assumes
	 */
	public static IdentifyResponse withoutNegotiation() {
		return new IdentifyResponse(false, "", DEFAULT_MAX_RDY_COUNT, 0, 0, false, false, 0, false, 0, false, 0, 0);
	}

	/**
	 * Read nsqd's JSON answer.
	 * @param json the answer
	 * @return the response
	 * @throws io.github.nsqspring.core.json.JsonParseException when it is not a JSON
	 * object
	 */
	public static IdentifyResponse parse(String json) {
		Map<String, Object> o = Json.parseObject(json);
		return new IdentifyResponse(true, Json.getString(o, "version", ""),
				Json.getLong(o, "max_rdy_count", DEFAULT_MAX_RDY_COUNT), Json.getLong(o, "max_msg_timeout", 0),
				Json.getLong(o, "msg_timeout", 0), Json.getBoolean(o, "tls_v1", false),
				Json.getBoolean(o, "deflate", false), (int) Json.getLong(o, "deflate_level", 0),
				Json.getBoolean(o, "snappy", false), (int) Json.getLong(o, "sample_rate", 0),
				Json.getBoolean(o, "auth_required", false), Json.getLong(o, "output_buffer_size", 0),
				Json.getLong(o, "output_buffer_timeout", 0));
	}

}
