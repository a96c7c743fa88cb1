package io.github.nsqspring.boot.observation;

import java.util.Map;

import io.github.nsqspring.core.consumer.NsqMessage;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The observation context of one listener delivery. Its carrier is the headers of the
 * message's envelope (empty for a raw message), from which the tracer's propagator reads
 * the sender's trace context.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqMessageReceiverContext extends ReceiverContext<Map<String, String>> {

	private final String listenerId;

	private final String topic;

	private final String channel;

	private final NsqMessage message;

	/**
	 * Create a context.
	 * @param carrier the envelope headers (empty for a raw message)
	 * @param listenerId the listener (container) id
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @param message the delivered message
	 */
	public NsqMessageReceiverContext(Map<String, String> carrier, String listenerId, String topic, String channel,
			NsqMessage message) {
		super((headers, key) -> (headers != null) ? headers.get(key) : null);
		setCarrier(carrier);
		setRemoteServiceName("nsq");
		this.listenerId = listenerId;
		this.topic = topic;
		this.channel = channel;
		this.message = message;
	}

	/**
	 * The listener id.
	 * @return the id
	 */
	public String getListenerId() {
		return this.listenerId;
	}

	/**
	 * The topic.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * The channel.
	 * @return the channel
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * The delivered message (id, attempts, nsqd address).
	 * @return the message
	 */
	public NsqMessage getMessage() {
		return this.message;
	}

}
