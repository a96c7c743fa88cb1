package io.github.nsqspring.boot.listener.adapter;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.core.consumer.NsqMessage;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.Assert;

/**
 * Resolves listener method parameters of type {@link NsqMessage} to the raw message.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqMessageArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return NsqMessage.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object raw = message.getHeaders().get(NsqHeaders.RAW_MESSAGE);
		Assert.state(raw instanceof NsqMessage, "No raw NSQ message in header " + NsqHeaders.RAW_MESSAGE);
		return raw;
	}

}
