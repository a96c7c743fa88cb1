package io.github.nsqspring.boot.config;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.listener.NsqBatchMessageListener;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.listener.adapter.BatchMessagingMessageListenerAdapter;
import io.github.nsqspring.boot.listener.adapter.MessagingMessageListenerAdapter;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.expression.BeanResolver;
import org.springframework.expression.Expression;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;

/**
 * An endpoint for a bean method annotated with {@code @NsqListener}: its listener calls
 * the method with arguments resolved by a {@link MessageHandlerMethodFactory}, one
 * message at a time or, for a batch endpoint, a batch at a time; with a reply template
 * ({@code @SendTo}), the method's return value is published as a reply.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MethodNsqListenerEndpoint extends AbstractNsqListenerEndpoint {

	private final Object bean;

	private final Method method;

	private @Nullable MessageHandlerMethodFactory messageHandlerMethodFactory;

	private @Nullable Supplier<? extends MessageConverter> batchMessageConverter;

	private @Nullable NsqListenerErrorHandler errorHandler;

	private @Nullable Supplier<? extends NsqOperations> replyTemplate;

	private @Nullable String defaultReplyTopic;

	private @Nullable Expression replyTopicExpression;

	private @Nullable BeanResolver beanResolver;

	/**
	 * Create an endpoint.
	 * @param bean the bean
	 * @param method the method to call, invocable on the bean
	 */
	public MethodNsqListenerEndpoint(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
	}

	public Object getBean() {
		return this.bean;
	}

	public Method getMethod() {
		return this.method;
	}

	/**
	 * Set the factory that resolves the method's arguments.
	 * @param messageHandlerMethodFactory the factory
	 */
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory messageHandlerMethodFactory) {
		this.messageHandlerMethodFactory = messageHandlerMethodFactory;
	}

	/**
	 * Set the converter of the payloads of a batch (default: byte[], String and JSON).
	 * @param batchMessageConverter supplies the converter when the listener is created
	 */
	public void setBatchMessageConverter(@Nullable Supplier<? extends MessageConverter> batchMessageConverter) {
		this.batchMessageConverter = batchMessageConverter;
	}

	/**
	 * Set the error handler of this listener.
	 * @param errorHandler the handler, or {@code null}
	 */
	public void setErrorHandler(@Nullable NsqListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	public @Nullable NsqListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * Publish the method's return values through this template ({@code @SendTo}).
	 * @param replyTemplate supplies the template at the first reply, or {@code null} for
	 * no replies
	 * @see MessagingMessageListenerAdapter
	 */
	public void setReplyTemplate(@Nullable Supplier<? extends NsqOperations> replyTemplate) {
		this.replyTemplate = replyTemplate;
	}

	/**
	 * Whether return values are published.
	 * @return {@code true} with a reply template
	 */
	public boolean isReplying() {
		return this.replyTemplate != null;
	}

	/**
	 * The reply topic when the request has no reply-topic header and no expression is
	 * set.
	 * @param defaultReplyTopic the topic, or {@code null}
	 */
	public void setDefaultReplyTopic(@Nullable String defaultReplyTopic) {
		this.defaultReplyTopic = defaultReplyTopic;
	}

	/**
	 * An expression giving the reply topic for each reply.
	 * @param replyTopicExpression the expression, or {@code null}
	 * @param beanResolver resolves {@code @beanName} in it, or {@code null}
	 */
	public void setReplyTopicExpression(@Nullable Expression replyTopicExpression,
			@Nullable BeanResolver beanResolver) {
		this.replyTopicExpression = replyTopicExpression;
		this.beanResolver = beanResolver;
	}

	@Override
	public NsqMessageListener createMessageListener(NsqContainerProperties containerProperties) {
		MessagingMessageListenerAdapter adapter = new MessagingMessageListenerAdapter(createHandlerMethod(),
				containerProperties.getTopic(), containerProperties.getChannel(), this.errorHandler);
		adapter.setReplyTemplate(this.replyTemplate);
		adapter.setDefaultReplyTopic(this.defaultReplyTopic);
		adapter.setReplyTopicExpression(this.replyTopicExpression, this.beanResolver);
		return adapter;
	}

	@Override
	public NsqBatchMessageListener createBatchMessageListener(NsqContainerProperties containerProperties) {
		Assert.state(this.replyTemplate == null, () -> "Listener '" + getId() + "' (" + this.method.toGenericString()
				+ ") takes batches: @SendTo is not supported on batch listeners");
		MessageConverter converter = (this.batchMessageConverter != null) ? this.batchMessageConverter.get()
				: DefaultNsqMessageConverter.create();
		return new BatchMessagingMessageListenerAdapter(createHandlerMethod(), containerProperties.getTopic(),
				containerProperties.getChannel(), this.errorHandler, converter);
	}

	private InvocableHandlerMethod createHandlerMethod() {
		Assert.state(this.messageHandlerMethodFactory != null, "No MessageHandlerMethodFactory set");
		return this.messageHandlerMethodFactory.createInvocableHandlerMethod(this.bean, this.method);
	}

	@Override
	public String toString() {
		return "MethodNsqListenerEndpoint[id=" + getId() + ", method=" + this.method.toGenericString() + "]";
	}

}
