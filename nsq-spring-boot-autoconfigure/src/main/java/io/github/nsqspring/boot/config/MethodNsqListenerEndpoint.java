package io.github.nsqspring.boot.config;

import java.lang.reflect.Method;

import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqListenerErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageListener;
import io.github.nsqspring.boot.listener.adapter.MessagingMessageListenerAdapter;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.Assert;

/**
 * An endpoint for a bean method annotated with {@code @NsqListener}: its listener calls
 * the method with arguments resolved by a {@link MessageHandlerMethodFactory}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class MethodNsqListenerEndpoint extends AbstractNsqListenerEndpoint {

	private final Object bean;

	private final Method method;

	private @Nullable MessageHandlerMethodFactory messageHandlerMethodFactory;

	private @Nullable NsqListenerErrorHandler errorHandler;

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
	 * Set the error handler of this listener.
	 * @param errorHandler the handler, or {@code null}
	 */
	public void setErrorHandler(@Nullable NsqListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	public @Nullable NsqListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	@Override
	public NsqMessageListener createMessageListener(NsqContainerProperties containerProperties) {
		Assert.state(this.messageHandlerMethodFactory != null, "No MessageHandlerMethodFactory set");
		InvocableHandlerMethod handlerMethod = this.messageHandlerMethodFactory.createInvocableHandlerMethod(this.bean,
				this.method);
		return new MessagingMessageListenerAdapter(handlerMethod, containerProperties.getTopic(),
				containerProperties.getChannel(), this.errorHandler);
	}

	@Override
	public String toString() {
		return "MethodNsqListenerEndpoint[id=" + getId() + ", method=" + this.method.toGenericString() + "]";
	}

}
