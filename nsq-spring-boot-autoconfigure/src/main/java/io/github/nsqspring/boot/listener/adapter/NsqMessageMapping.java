package io.github.nsqspring.boot.listener.adapter;

import java.util.Collections;
import java.util.Map;

import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;

/**
 * Turns an NSQ message into the Spring {@link Message} listener methods are called with.
 *
 * @author nsq-spring
 */
final class NsqMessageMapping {

	private NsqMessageMapping() {
	}

	/**
	 * The Spring message of an NSQ message: an enveloped body is unwrapped (payload and
	 * headers), a raw body is the payload; the NSQ headers always come from the frame and
	 * the subscription, never from the envelope. The headers are computed when read
	 * ({@link NsqMessageHeaders}), so that a message costs no header map.
	 * @param nsqMessage the NSQ message
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @return the message, with a {@code byte[]} payload
	 */
	static Message<byte[]> toMessage(NsqMessage nsqMessage, String topic, String channel) {
		byte[] body = nsqMessage.body();
		byte[] payload = body;
		Map<String, String> envelopeHeaders = Collections.emptyMap();
		if (NsqEnvelope.hasMagic(body)) {
			NsqEnvelope envelope = NsqEnvelope.decode(body);
			payload = envelope.getPayload();
			envelopeHeaders = envelope.getHeaders();
		}
		return new GenericMessage<>(payload, new NsqMessageHeaders(nsqMessage, topic, channel, envelopeHeaders));
	}

}
