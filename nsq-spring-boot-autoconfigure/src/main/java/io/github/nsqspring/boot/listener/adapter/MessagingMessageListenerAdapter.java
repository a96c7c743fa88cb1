package io.github.nsqspring.boot.listener.adapter;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.listener.ListenerExecutionFailedException;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.log.LogAccessor;
import org.springframework.expression.BeanResolver;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

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
 * <p>
 * A method that returns a {@link CompletionStage} (a {@code CompletableFuture}) is waited
 * for on the listener thread: the message is finished (and a reply published) when it
 * completes, and handled as a listener failure when it completes exceptionally. The
 * message stays in flight meanwhile, so its {@code msg_timeout} applies.
 * <h2>Replies</h2> With a {@linkplain #setReplyTemplate reply template} (a method
 * annotated with {@code @SendTo}), a non-null return value is published before the
 * message is finished, through {@link NsqOperations#send(String, Message)}: a returned
 * {@link Message} as it is, any other value as the payload. The topic is, in order: the
 * request's {@link NsqHeaders#REPLY_TOPIC} header (present only when the request came in
 * an envelope), the {@linkplain #setReplyTopicExpression runtime expression}, the
 * {@linkplain #setDefaultReplyTopic default topic}. The reply carries
 * {@link NsqHeaders#CORRELATION_ID} (the request's, else the request's NSQ message id)
 * and {@link NsqHeaders#REQUEST_MESSAGE_ID} (the request's NSQ message id) unless the
 * returned message sets them; they travel when the template writes the envelope. A
 * {@code null} or {@code void} return publishes nothing. A reply that cannot be published
 * (no topic, nsqd refuses, conversion) is a listener failure: the message goes to the
 * container's error handling (requeued with backoff), so the listener runs again.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MessagingMessageListenerAdapter implements NsqMessageListener {

	private static final LogAccessor logger = new LogAccessor(MessagingMessageListenerAdapter.class);

	/** Passed to each call instead of a new empty varargs array per message. */
	private static final Object[] NO_PROVIDED_ARGUMENTS = {};

	private final InvocableHandlerMethod handlerMethod;

	private final String topic;

	private final String channel;

	private final @Nullable NsqListenerErrorHandler errorHandler;

	private final boolean manualAcknowledgment;

	private @Nullable Supplier<? extends NsqOperations> replyTemplate;

	private @Nullable String defaultReplyTopic;

	private @Nullable Expression replyTopicExpression;

	private @Nullable BeanResolver beanResolver;

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
		// Method.invoke checks its caller on every call unless the method is accessible,
		// which Spring makes only non-public methods: on Java 17 that check walked the
		// stack once per message (issue 15). Where the module system refuses, it stays.
		handlerMethod.getMethod().trySetAccessible();
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

	/**
	 * Publish return values through this template (resolved at the first reply). Without
	 * one, return values are ignored.
	 * @param replyTemplate supplies the template
	 */
	public void setReplyTemplate(@Nullable Supplier<? extends NsqOperations> replyTemplate) {
		this.replyTemplate = replyTemplate;
	}

	/**
	 * The reply topic when neither the request's header nor the expression gives one.
	 * @param defaultReplyTopic the topic, or {@code null}
	 */
	public void setDefaultReplyTopic(@Nullable String defaultReplyTopic) {
		this.defaultReplyTopic = StringUtils.hasText(defaultReplyTopic) ? defaultReplyTopic : null;
	}

	/**
	 * An expression evaluated for each reply whose request has no reply-topic header,
	 * against a {@link ReplyExpressionRoot} ({@code request}, {@code source},
	 * {@code result}); {@code @beanName} references work when a bean resolver is set.
	 * @param replyTopicExpression the expression, yielding the topic name
	 * @param beanResolver resolves {@code @beanName}, or {@code null}
	 */
	public void setReplyTopicExpression(@Nullable Expression replyTopicExpression,
			@Nullable BeanResolver beanResolver) {
		this.replyTopicExpression = replyTopicExpression;
		this.beanResolver = beanResolver;
	}

	@Override
	public void onMessage(NsqMessage nsqMessage) throws Exception {
		if (this.manualAcknowledgment) {
			nsqMessage.disableAutoResponse();
		}
		Message<byte[]> message = NsqMessageMapping.toMessage(nsqMessage, this.topic, this.channel);
		Object result;
		try {
			result = await(this.handlerMethod.invoke(message, NO_PROVIDED_ARGUMENTS));
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
			return;
		}
		if (result == null) {
			return;
		}
		if (this.replyTemplate == null) {
			logger.debug(() -> "Ignoring the value returned by " + this.handlerMethod.getShortLogMessage()
					+ " (no @SendTo)");
			return;
		}
		reply(result, message, nsqMessage, this.replyTemplate);
	}

	/**
	 * The value of an asynchronous result, waited for on the listener thread: the message
	 * is answered (and a reply published) only once it completes.
	 */
	private static @Nullable Object await(@Nullable Object result) throws Exception {
		if (!(result instanceof CompletionStage<?> stage)) {
			return result;
		}
		try {
			return stage.toCompletableFuture().get();
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	private void reply(Object result, Message<byte[]> request, NsqMessage source,
			Supplier<? extends NsqOperations> template) {
		String replyTopic = replyTopic(request, source, result);
		MessageBuilder<?> reply = (result instanceof Message<?> message) ? MessageBuilder.fromMessage(message)
				: MessageBuilder.withPayload(result);
		Object correlation = request.getHeaders().get(NsqHeaders.CORRELATION_ID);
		reply.setHeaderIfAbsent(NsqHeaders.CORRELATION_ID, (correlation != null) ? correlation : source.idText());
		reply.setHeaderIfAbsent(NsqHeaders.REQUEST_MESSAGE_ID, source.idText());
		try {
			template.get().send(replyTopic, reply.build());
		}
		catch (RuntimeException ex) {
			throw new ListenerExecutionFailedException("Reply of " + this.handlerMethod.getShortLogMessage()
					+ " to topic '" + replyTopic + "' for message " + source.idText() + " from " + this.topic + "/"
					+ this.channel + " failed: " + ex.getMessage(), ex, request);
		}
		logger.trace(() -> "Replied to message " + source.idText() + " on topic " + replyTopic);
	}

	private String replyTopic(Message<byte[]> request, NsqMessage source, Object result) {
		Object header = request.getHeaders().get(NsqHeaders.REPLY_TOPIC);
		if (header instanceof String text && StringUtils.hasText(text)) {
			return text.trim();
		}
		if (this.replyTopicExpression != null) {
			StandardEvaluationContext context = new StandardEvaluationContext(
					new ReplyExpressionRoot(request, source, result));
			if (this.beanResolver != null) {
				context.setBeanResolver(this.beanResolver);
			}
			Object value = this.replyTopicExpression.getValue(context);
			if (value == null || !StringUtils.hasText(value.toString())) {
				throw new ListenerExecutionFailedException("The @SendTo expression '"
						+ this.replyTopicExpression.getExpressionString() + "' of "
						+ this.handlerMethod.getShortLogMessage() + " gave no topic for message " + source.idText(),
						new IllegalStateException("empty reply topic"), request);
			}
			return value.toString().trim();
		}
		if (this.defaultReplyTopic != null) {
			return this.defaultReplyTopic;
		}
		throw new ListenerExecutionFailedException(
				"No reply topic for message " + source.idText() + " of " + this.handlerMethod.getShortLogMessage()
						+ ": the message has no '" + NsqHeaders.REPLY_TOPIC
						+ "' header (it travels only in an envelope) and @SendTo names no topic",
				new IllegalStateException("no reply topic"), request);
	}

	/**
	 * The root object of {@code @SendTo("!{...}")} expressions.
	 */
	public static final class ReplyExpressionRoot {

		private final Message<?> request;

		private final NsqMessage source;

		private final Object result;

		ReplyExpressionRoot(Message<?> request, NsqMessage source, Object result) {
			Assert.notNull(result, "'result' must not be null");
			this.request = request;
			this.source = source;
			this.result = result;
		}

		/**
		 * The request as the listener got it: payload (raw body) and headers.
		 * @return the request
		 */
		public Message<?> getRequest() {
			return this.request;
		}

		/**
		 * The NSQ message of the request.
		 * @return the message
		 */
		public NsqMessage getSource() {
			return this.source;
		}

		/**
		 * What the listener returned.
		 * @return the result
		 */
		public Object getResult() {
			return this.result;
		}

	}

}
