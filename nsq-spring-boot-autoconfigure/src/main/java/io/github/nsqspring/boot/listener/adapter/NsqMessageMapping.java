package io.github.nsqspring.boot.listener.adapter;

import java.util.HashMap;
import java.util.Map;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

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
	 * the subscription, never from the envelope.
	 * @param nsqMessage the NSQ message
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @return the message, with a {@code byte[]} payload
	 */
	static Message<byte[]> toMessage(NsqMessage nsqMessage, String topic, String channel) {
		NsqEnvelope envelope = NsqEnvelope.decode(nsqMessage.body());
		// envelope headers first: the NSQ headers below are never taken from the envelope
		Map<String, Object> headers = new HashMap<>(envelope.getHeaders());
		headers.put(NsqHeaders.ID, nsqMessage.idText());
		headers.put(NsqHeaders.ATTEMPTS, nsqMessage.attempts());
		headers.put(NsqHeaders.TIMESTAMP, nsqMessage.timestamp());
		headers.put(NsqHeaders.NSQD_ADDRESS, nsqMessage.nsqdAddress());
		headers.put(NsqHeaders.TOPIC, topic);
		headers.put(NsqHeaders.CHANNEL, channel);
		headers.put(NsqHeaders.RAW_MESSAGE, nsqMessage);
		headers.remove(MessageHeaders.ID);
		headers.remove(MessageHeaders.TIMESTAMP);
		return MessageBuilder.withPayload(envelope.getPayload()).copyHeaders(headers).build();
	}

}
