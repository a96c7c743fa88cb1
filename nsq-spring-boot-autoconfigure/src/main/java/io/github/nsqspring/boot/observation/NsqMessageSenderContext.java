package io.github.nsqspring.boot.observation;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * The observation context of an {@code NsqTemplate} send. Its carrier is the header map
 * that becomes the message envelope: the tracer's propagator writes the trace context
 * into it when the observation starts, before the body is encoded. With the envelope off,
 * what the propagator writes is not sent.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqMessageSenderContext extends SenderContext<Map<String, String>> {

	private final String templateName;

	private final String topic;

	private final int messageCount;

	private final boolean deferred;

	/**
	 * Create a context.
	 * @param carrier the (mutable) headers written into the envelope
	 * @param templateName the template's bean name
	 * @param topic the topic published to
	 * @param messageCount messages in this send (1, or the batch size of MPUB)
	 * @param deferred whether it is a deferred publish (DPUB)
	 */
	public NsqMessageSenderContext(Map<String, String> carrier, String templateName, String topic, int messageCount,
			boolean deferred) {
		super((headers, key, value) -> {
			if (headers != null) {
				headers.put(key, value);
			}
		});
		setCarrier(carrier);
		setRemoteServiceName("nsq");
		this.templateName = templateName;
		this.topic = topic;
		this.messageCount = messageCount;
		this.deferred = deferred;
	}

	/**
	 * The bean name of the template.
	 * @return the name
	 */
	public String getTemplateName() {
		return this.templateName;
	}

	/**
	 * The topic.
	 * @return the topic
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Messages published by this send.
	 * @return 1, or the batch size
	 */
	public int getMessageCount() {
		return this.messageCount;
	}

	/**
	 * Whether the send is deferred (DPUB).
	 * @return {@code true} for a deferred publish
	 */
	public boolean isDeferred() {
		return this.deferred;
	}

}
