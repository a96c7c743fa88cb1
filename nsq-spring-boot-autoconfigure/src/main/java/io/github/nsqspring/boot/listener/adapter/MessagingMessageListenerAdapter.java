package io.github.nsqspring.boot.listener.adapter;

import java.util.HashMap;
import java.util.Map;

import io.github.nsqspring.boot.listener.ListenerExecutionFailedException;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Calls an {@code @NsqListener} method for each NSQ message: the message becomes a Spring
 * {@link Message} whose payload is the raw body and whose headers are the
 * {@link NsqHeaders}. A body in the {@linkplain NsqEnvelope envelope} format is unwrapped
 * first: its payload becomes the message payload and its headers are added (except the
 * {@code nsq_*} protocol headers and Spring's {@code id} and {@code timestamp}, which
 * always come from the frame); a raw body stays as it is. The method's arguments are
 * resolved from it (payload conversion, {@code @Header}, {@code Message<?>}, the raw
 * {@link NsqMessage}).
 * <p>
 * A method that takes the raw {@link NsqMessage} acknowledges manually: the message is
 * not finished when the method returns; the method (or code it hands the message to) must
 * call {@code finish()} or {@code requeue(...)}, else nsqd redelivers it after the
 * message timeout. When such a method throws before answering, the container's error
 * handling still applies.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MessagingMessageListenerAdapter implements NsqMessageListener {

	private static final LogAccessor logger = new LogAccessor(MessagingMessageListenerAdapter.class);

	private final InvocableHandlerMethod handlerMethod;

	private final String topic;

	private final String channel;

	private final @Nullable NsqListenerErrorHandler errorHandler;

	private final boolean manualAcknowledgment;

	/**
	 * Create an adapter.
	 * @param handlerMethod the method to call
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @param errorHandler the listener's error handler, or {@code null}
	 */
	public MessagingMessageListenerAdapter(InvocableHandlerMethod handlerMethod, String topic, String channel,
			@Nullable NsqListenerErrorHandler errorHandler) {
		this.handlerMethod = handlerMethod;
		this.topic = topic;
		this.channel = channel;
		this.errorHandler = errorHandler;
		this.manualAcknowledgment = takesRawMessage(handlerMethod);
	}

	private static boolean takesRawMessage(InvocableHandlerMethod handlerMethod) {
		for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
			if (NsqMessage.class.isAssignableFrom(parameter.getParameterType())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the method acknowledges messages itself (it takes the raw message).
	 * @return {@code true} for manual acknowledgment
	 */
	public boolean isManualAcknowledgment() {
		return this.manualAcknowledgment;
	}

	@Override
	public void onMessage(NsqMessage nsqMessage) throws Exception {
		if (this.manualAcknowledgment) {
			nsqMessage.disableAutoResponse();
		}
		Message<byte[]> message = toMessage(nsqMessage);
		try {
			Object result = this.handlerMethod.invoke(message);
			if (result != null) {
				logger.debug(() -> "Ignoring the value returned by " + this.handlerMethod.getShortLogMessage());
			}
		}
		catch (Exception ex) {
			ListenerExecutionFailedException failure = (ex instanceof ListenerExecutionFailedException lefe) ? lefe
					: new ListenerExecutionFailedException("Listener method " + this.handlerMethod.getShortLogMessage()
							+ " failed on message " + nsqMessage.idText() + " from " + this.topic + "/" + this.channel,
							ex, message);
			if (this.errorHandler == null) {
				throw failure;
			}
			this.errorHandler.handleError(message, failure);
			if (this.manualAcknowledgment && !nsqMessage.hasResponded()) {
				// the listener's error handler settled the failure; finish for it
				nsqMessage.finish();
			}
		}
	}

	private Message<byte[]> toMessage(NsqMessage nsqMessage) {
		NsqEnvelope envelope = NsqEnvelope.decode(nsqMessage.body());
		// envelope headers first: the NSQ headers below are never taken from the envelope
		Map<String, Object> headers = new HashMap<>(envelope.getHeaders());
		headers.put(NsqHeaders.ID, nsqMessage.idText());
		headers.put(NsqHeaders.ATTEMPTS, nsqMessage.attempts());
		headers.put(NsqHeaders.TIMESTAMP, nsqMessage.timestamp());
		headers.put(NsqHeaders.NSQD_ADDRESS, nsqMessage.nsqdAddress());
		headers.put(NsqHeaders.TOPIC, this.topic);
		headers.put(NsqHeaders.CHANNEL, this.channel);
		headers.put(NsqHeaders.RAW_MESSAGE, nsqMessage);
		headers.remove(MessageHeaders.ID);
		headers.remove(MessageHeaders.TIMESTAMP);
		return MessageBuilder.withPayload(envelope.getPayload()).copyHeaders(headers).build();
	}

}
