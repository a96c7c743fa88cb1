package io.github.nsqspring.boot.listener.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.github.nsqspring.boot.listener.ListenerExecutionFailedException;
import io.github.nsqspring.boot.listener.NsqBatchListenerFailedException;
import io.github.nsqspring.boot.listener.NsqBatchMessageListener;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Calls an {@code @NsqListener(batch = "true")} method with a batch. The method takes one
 * {@code List} (or {@code Collection}) parameter:
 * <ul>
 * <li>{@code List<T>}: each message's payload converted to {@code T} as for a record
 * listener ({@code byte[]}, {@code String}, JSON; an enveloped body is unwrapped
 * first);</li>
 * <li>{@code List<Message<T>>}: the same payloads, each with its message's headers
 * ({@link NsqHeaders}, envelope headers);</li>
 * <li>{@code List<NsqMessage>}: the raw messages; the method acknowledges them itself
 * (finish, requeue, touch), as a record listener taking an {@code NsqMessage} does.</li>
 * </ul>
 * Other parameters may take {@code @Header(NsqHeaders.TOPIC)} and
 * {@code @Header(NsqHeaders.CHANNEL)}. The payloads are not validated one by one
 * ({@code @Valid} applies to the list).
 * <p>
 * A message whose payload cannot be converted does not fail the others: the method is
 * called with the messages before it, and the adapter then throws an
 * {@link NsqBatchListenerFailedException} naming it, so that those are finished, it goes
 * to the error handler (and, conversion not being retryable, straight to the recoverer)
 * and the ones after it are requeued without backoff to come back in a later batch.
 * <p>
 * When the method throws, the listener's {@link NsqListenerErrorHandler} (if any) gets a
 * message whose payload is the list and may settle the failure by returning; an
 * {@link NsqBatchListenerFailedException} thrown by the method reaches the container as
 * it is.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class BatchMessagingMessageListenerAdapter implements NsqBatchMessageListener {

	private final InvocableHandlerMethod handlerMethod;

	private final String topic;

	private final String channel;

	private final @Nullable NsqListenerErrorHandler errorHandler;

	private final MessageConverter messageConverter;

	private final ElementKind elementKind;

	private final MethodParameter payloadHint;

	private final Class<?> payloadClass;

	/**
	 * Create an adapter.
	 * @param handlerMethod the method to call
	 * @param topic the topic consumed
	 * @param channel the channel consumed
	 * @param errorHandler the listener's error handler, or {@code null}
	 * @param messageConverter converts each payload
	 * @throws IllegalStateException when the method has no {@code List} parameter
	 */
	public BatchMessagingMessageListenerAdapter(InvocableHandlerMethod handlerMethod, String topic, String channel,
			@Nullable NsqListenerErrorHandler errorHandler, MessageConverter messageConverter) {
		this.handlerMethod = handlerMethod;
		this.topic = topic;
		this.channel = channel;
		this.errorHandler = errorHandler;
		this.messageConverter = messageConverter;
		MethodParameter parameter = batchParameter(handlerMethod);
		ResolvableType element = ResolvableType.forMethodParameter(parameter).asCollection().getGeneric(0);
		Class<?> elementClass = element.resolve(Object.class);
		if (NsqMessage.class.isAssignableFrom(elementClass)) {
			this.elementKind = ElementKind.RAW;
			this.payloadHint = parameter.nested();
			this.payloadClass = NsqMessage.class;
		}
		else if (Message.class.isAssignableFrom(elementClass)) {
			this.elementKind = ElementKind.MESSAGE;
			// nested twice: List<Message<T>> -> T
			this.payloadHint = parameter.nested().nested();
			this.payloadClass = element.getGeneric(0).resolve(byte[].class);
		}
		else {
			this.elementKind = ElementKind.PAYLOAD;
			this.payloadHint = parameter.nested();
			this.payloadClass = elementClass;
		}
	}

	private static MethodParameter batchParameter(InvocableHandlerMethod handlerMethod) {
		for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
			if (Collection.class.isAssignableFrom(parameter.getParameterType())
					&& !parameter.hasParameterAnnotation(Header.class)
					&& !parameter.hasParameterAnnotation(Headers.class)) {
				return parameter;
			}
		}
		throw new IllegalStateException("Batch listener method " + handlerMethod.getShortLogMessage()
				+ " must take a List<T>, List<Message<T>> or List<NsqMessage> parameter");
	}

	/**
	 * Whether the method acknowledges messages itself (it takes
	 * {@code List<NsqMessage>}).
	 * @return {@code true} for manual acknowledgment
	 */
	public boolean isManualAcknowledgment() {
		return this.elementKind == ElementKind.RAW;
	}

	@Override
	public void onBatch(List<NsqMessage> messages) throws Exception {
		if (isManualAcknowledgment()) {
			messages.forEach(NsqMessage::disableAutoResponse);
		}
		List<Object> elements = new ArrayList<>(messages.size());
		int failedIndex = -1;
		RuntimeException conversionFailure = null;
		for (int i = 0; i < messages.size(); i++) {
			try {
				elements.add(element(messages.get(i)));
			}
			catch (RuntimeException ex) {
				failedIndex = i;
				conversionFailure = ex;
				break;
			}
		}
		if (!elements.isEmpty()) {
			invoke(elements, messages.subList(0, elements.size()));
		}
		if (conversionFailure != null) {
			NsqMessage failed = messages.get(failedIndex);
			Message<byte[]> message = NsqMessageMapping.toMessage(failed, this.topic, this.channel);
			throw new NsqBatchListenerFailedException(
					"Payload of message " + failed.idText() + " (index " + failedIndex + ") of a batch for "
							+ this.handlerMethod.getShortLogMessage() + " cannot be converted",
					new ListenerExecutionFailedException(
							"Listener method " + this.handlerMethod.getShortLogMessage() + " cannot take message "
									+ failed.idText() + " from " + this.topic + "/" + this.channel,
							conversionFailure, message),
					failedIndex);
		}
	}

	private Object element(NsqMessage nsqMessage) {
		if (this.elementKind == ElementKind.RAW) {
			return nsqMessage;
		}
		Message<byte[]> message = NsqMessageMapping.toMessage(nsqMessage, this.topic, this.channel);
		Object payload = convert(message);
		if (this.elementKind == ElementKind.PAYLOAD) {
			return payload;
		}
		return MessageBuilder.withPayload(payload).copyHeaders(message.getHeaders()).build();
	}

	private Object convert(Message<byte[]> message) {
		if (this.payloadClass.isInstance(message.getPayload())) {
			return message.getPayload();
		}
		Object converted = (this.messageConverter instanceof SmartMessageConverter smart)
				? smart.fromMessage(message, this.payloadClass, this.payloadHint)
				: this.messageConverter.fromMessage(message, this.payloadClass);
		if (converted == null) {
			throw new MessageConversionException(message, "Cannot convert the payload of message "
					+ message.getHeaders().get(NsqHeaders.ID) + " to " + this.payloadClass.getName());
		}
		return converted;
	}

	private void invoke(List<Object> elements, List<NsqMessage> messages) throws Exception {
		Message<List<Object>> batch = MessageBuilder.withPayload(elements)
			.setHeader(NsqHeaders.TOPIC, this.topic)
			.setHeader(NsqHeaders.CHANNEL, this.channel)
			.build();
		try {
			this.handlerMethod.invoke(batch);
		}
		catch (NsqBatchListenerFailedException ex) {
			throw ex;
		}
		catch (Exception ex) {
			ListenerExecutionFailedException failure = (ex instanceof ListenerExecutionFailedException lefe) ? lefe
					: new ListenerExecutionFailedException("Batch listener method "
							+ this.handlerMethod.getShortLogMessage() + " failed on a batch of " + elements.size()
							+ " message(s) from " + this.topic + "/" + this.channel, ex, batch);
			if (this.errorHandler == null) {
				throw failure;
			}
			this.errorHandler.handleError(batch, failure);
			if (isManualAcknowledgment()) {
				// the listener's error handler settled the failure; finish for it
				for (NsqMessage message : messages) {
					if (!message.hasResponded()) {
						message.finish();
					}
				}
			}
		}
	}

	private enum ElementKind {

		PAYLOAD, MESSAGE, RAW

	}

}
