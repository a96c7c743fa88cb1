package io.github.nsqspring.boot.listener.adapter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.TestNsqMessage;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The headers of a received message, computed when read (issue 15), hold what an eagerly
 * built map held.
 */
class NsqMessageHeadersTests {

	private final TestNsqMessage raw = new TestNsqMessage("hello", 3);

	@Test
	void nsqHeadersComeFromTheFrameAndTheSubscription() {
		MessageHeaders headers = NsqMessageMapping.toMessage(this.raw, "orders", "billing").getHeaders();
		assertThat(headers.get(NsqHeaders.ID)).isEqualTo("0123456789abcdef");
		assertThat(headers.get(NsqHeaders.ATTEMPTS)).isEqualTo(3);
		assertThat(headers.get(NsqHeaders.TIMESTAMP)).isEqualTo(1_700_000_000_000_000_000L);
		assertThat(headers.get(NsqHeaders.NSQD_ADDRESS)).isEqualTo("127.0.0.1:4150");
		assertThat(headers.get(NsqHeaders.TOPIC)).isEqualTo("orders");
		assertThat(headers.get(NsqHeaders.CHANNEL)).isEqualTo("billing");
		assertThat(headers.get(NsqHeaders.RAW_MESSAGE)).isSameAs(this.raw);
		assertThat(headers.get("absent")).isNull();
		assertThat(headers.containsKey(NsqHeaders.TOPIC)).isTrue();
		assertThat(headers.containsKey("absent")).isFalse();
		assertThat(headers.get(NsqHeaders.ATTEMPTS, Integer.class)).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> headers.get(NsqHeaders.ATTEMPTS, String.class))
			.withMessageContaining(NsqHeaders.ATTEMPTS);
	}

	@Test
	void springIdAndTimestampArePresentAndStable() {
		long before = System.currentTimeMillis();
		MessageHeaders headers = NsqMessageMapping.toMessage(this.raw, "orders", "billing").getHeaders();
		UUID id = headers.getId();
		assertThat(id).isNotNull().isEqualTo(headers.get(MessageHeaders.ID)).isEqualTo(headers.getId());
		assertThat(headers.getTimestamp()).isBetween(before, System.currentTimeMillis())
			.isEqualTo(headers.get(MessageHeaders.TIMESTAMP));
		assertThat(headers.containsKey(MessageHeaders.ID)).isTrue();
		assertThat(headers.containsKey(MessageHeaders.TIMESTAMP)).isTrue();
		assertThat(NsqMessageMapping.toMessage(this.raw, "orders", "billing").getHeaders().getId()).isNotEqualTo(id);
	}

	@Test
	void envelopeHeadersAreAddedButNeverReplaceNsqOrSpringHeaders() {
		Map<String, String> sent = new LinkedHashMap<>();
		sent.put("traceparent", "00-abc-def-01");
		sent.put(NsqHeaders.TOPIC, "spoofed");
		sent.put(MessageHeaders.ID, "not-a-uuid");
		TestNsqMessage enveloped = new TestNsqMessage(NsqEnvelope.encode(sent, "payload".getBytes()), 1);
		Message<byte[]> message = NsqMessageMapping.toMessage(enveloped, "orders", "billing");
		assertThat(new String(message.getPayload())).isEqualTo("payload");
		MessageHeaders headers = message.getHeaders();
		assertThat(headers.get("traceparent")).isEqualTo("00-abc-def-01");
		assertThat(headers.get(NsqHeaders.TOPIC)).isEqualTo("orders");
		assertThat(headers.getId()).isInstanceOf(UUID.class);
		assertThat(headers.entrySet()).extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrder("traceparent", NsqHeaders.TOPIC, MessageHeaders.ID, MessageHeaders.TIMESTAMP,
					NsqHeaders.ID, NsqHeaders.ATTEMPTS, NsqHeaders.TIMESTAMP, NsqHeaders.NSQD_ADDRESS,
					NsqHeaders.CHANNEL, NsqHeaders.RAW_MESSAGE);
		assertThat(headers).containsEntry(NsqHeaders.TOPIC, "orders").containsEntry("traceparent", "00-abc-def-01");
	}

	@Test
	void wholeMapViewsHoldEveryHeaderWithTheValuesGetGives() {
		MessageHeaders headers = NsqMessageMapping.toMessage(this.raw, "orders", "billing").getHeaders();
		UUID id = headers.getId();
		assertThat(headers.size()).isEqualTo(9);
		assertThat(headers.isEmpty()).isFalse();
		assertThat(headers.keySet()).hasSize(9);
		for (Map.Entry<String, Object> entry : headers.entrySet()) {
			assertThat(entry.getValue()).as(entry.getKey()).isEqualTo(headers.get(entry.getKey()));
		}
		assertThat(headers.getId()).isEqualTo(id);
		assertThat(headers.containsValue("orders")).isTrue();
		assertThat(headers.values()).contains("billing", this.raw);
		assertThat(headers.toString()).contains("nsq_topic=orders");
		assertThat(headers).isEqualTo(headers);
		assertThat(headers.hashCode()).isEqualTo(headers.hashCode());
	}

	@Test
	void copiedByMessageBuilderWithEveryHeader() {
		Message<byte[]> message = NsqMessageMapping.toMessage(this.raw, "orders", "billing");
		Message<byte[]> copy = MessageBuilder.fromMessage(message).setHeader("extra", 1).build();
		assertThat(copy.getHeaders()).containsEntry(NsqHeaders.TOPIC, "orders")
			.containsEntry(NsqHeaders.ATTEMPTS, 3)
			.containsEntry(NsqHeaders.RAW_MESSAGE, this.raw)
			.containsEntry("extra", 1);
	}

	@Test
	void serializedWithTheSameHeadersIdAndTimestampButTheRawMessage() throws Exception {
		MessageHeaders headers = NsqMessageMapping.toMessage(this.raw, "orders", "billing").getHeaders();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(headers);
		}
		MessageHeaders copy;
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
			copy = (MessageHeaders) in.readObject();
		}
		assertThat(copy.getId()).isEqualTo(headers.getId());
		assertThat(copy.getTimestamp()).isEqualTo(headers.getTimestamp());
		assertThat(copy).containsEntry(NsqHeaders.TOPIC, "orders")
			.containsEntry(NsqHeaders.ID, "0123456789abcdef")
			.doesNotContainKey(NsqHeaders.RAW_MESSAGE);
	}

}
