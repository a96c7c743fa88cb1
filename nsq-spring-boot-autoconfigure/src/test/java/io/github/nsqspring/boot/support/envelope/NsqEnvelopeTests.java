package io.github.nsqspring.boot.support.envelope;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NsqEnvelopeTests {

	@Test
	void encodesTheDocumentedLayout() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("a", "xy");
		byte[] body = NsqEnvelope.encode(headers, "hi".getBytes(StandardCharsets.UTF_8));
		assertThat(HexFormat.of().formatHex(body))
			.isEqualTo("ff4e5145" + "01" + "0001" + "0001" + "61" + "00000002" + "7879" + "6869");
	}

	@Test
	void roundTripsHeadersInOrderAndThePayload() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		headers.put("ünïcode", "värde ✓");
		headers.put("empty", "");
		byte[] payload = { 0, 1, 2, (byte) 0xFF };
		NsqEnvelope envelope = NsqEnvelope.decode(NsqEnvelope.encode(headers, payload));
		assertThat(envelope.getHeaders()).containsExactlyEntriesOf(headers);
		assertThat(envelope.getPayload()).containsExactly(payload);
		assertThat(NsqEnvelope.decodeHeaders(NsqEnvelope.encode(headers, payload))).isEqualTo(headers);
	}

	@Test
	void emptyHeadersAndEmptyPayload() {
		byte[] body = NsqEnvelope.encode(Map.of(), new byte[0]);
		assertThat(body).hasSize(7);
		NsqEnvelope envelope = NsqEnvelope.decode(body);
		assertThat(NsqEnvelope.isEnvelope(body)).isTrue();
		assertThat(envelope.getHeaders()).isEmpty();
		assertThat(envelope.getPayload()).isEmpty();
	}

	@Test
	void rawBodiesAreThePayload() {
		for (String raw : new String[] { "", "{\"id\":1}", "plain text", "\uFEFFbom" }) {
			byte[] body = raw.getBytes(StandardCharsets.UTF_8);
			NsqEnvelope envelope = NsqEnvelope.decode(body);
			assertThat(envelope.getHeaders()).isEmpty();
			assertThat(envelope.getPayload()).isSameAs(body);
			assertThat(NsqEnvelope.isEnvelope(body)).isFalse();
		}
	}

	@Test
	void bodiesThatOnlyStartWithTheMagicAreRaw() {
		byte[] valid = NsqEnvelope.encode(Map.of("key", "value"), "payload".getBytes(StandardCharsets.UTF_8));
		// truncated inside the header
		assertRaw(java.util.Arrays.copyOf(valid, 12));
		// unknown version
		byte[] version = valid.clone();
		version[4] = 2;
		assertRaw(version);
		// header count larger than what follows
		assertRaw(hex("ff4e5145" + "01" + "0005" + "0001" + "61" + "00000000"));
		// value length past the end
		assertRaw(hex("ff4e5145" + "01" + "0001" + "0001" + "61" + "7fffffff" + "00"));
		// empty key
		assertRaw(hex("ff4e5145" + "01" + "0001" + "0000" + "00000000"));
		// duplicate key
		assertRaw(hex("ff4e5145" + "01" + "0002" + "0001" + "61" + "00000000" + "0001" + "61" + "00000000"));
		// invalid UTF-8 in a key
		assertRaw(hex("ff4e5145" + "01" + "0001" + "0001" + "c3" + "00000000"));
		// too short for the prefix
		assertRaw(hex("ff4e5145" + "01"));
	}

	@Test
	void rejectsKeysThatCannotBeEncoded() {
		assertThatIllegalArgumentException().isThrownBy(() -> NsqEnvelope.encode(Map.of("", "v"), new byte[0]));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NsqEnvelope.encode(Map.of("k".repeat(70000), "v"), new byte[0]));
	}

	@Test
	void toStringShowsNoHeaderValues() {
		assertThat(NsqEnvelope.decode(NsqEnvelope.encode(Map.of("token", "s3cr3t"), new byte[1])))
			.hasToString("NsqEnvelope[headers=[token], payload=1 bytes]");
	}

	private static void assertRaw(byte[] body) {
		NsqEnvelope envelope = NsqEnvelope.decode(body);
		assertThat(envelope.getHeaders()).isEmpty();
		assertThat(envelope.getPayload()).isSameAs(body);
	}

	private static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex);
	}

}
