package io.github.nsqspring.boot.listener.adapter;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * The argument resolvers of one listener method, with each of its parameters bound to its
 * resolver when the method is set up. Spring's shared composite finds a parameter's
 * resolver in a map keyed by the parameter, twice per argument and message; hashing and
 * comparing a {@link MethodParameter} (its method's name, declaring class and parameter
 * types) was a measurable share of a listener thread's time at a few hundred thousand
 * messages a second. A parameter of this method is found by identity instead: the handler
 * method passes the same parameter objects on every call.
 * <p>
 * The resolver bound to a parameter is the one Spring's composite would pick (the first
 * in order that supports it). Any other parameter goes to that composite's lookup.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public final class MethodArgumentResolvers extends HandlerMethodArgumentResolverComposite {

	private final MethodParameter[] parameters;

	private final @Nullable HandlerMethodArgumentResolver[] bound;

	/**
	 * Bind the parameters of a handler method.
	 * @param resolvers the resolvers, in the order Spring tries them
	 * @param handlerMethod the method whose parameters to bind
	 */
	public MethodArgumentResolvers(List<? extends HandlerMethodArgumentResolver> resolvers,
			InvocableHandlerMethod handlerMethod) {
		addResolvers(resolvers);
		this.parameters = handlerMethod.getMethodParameters();
		this.bound = new HandlerMethodArgumentResolver[this.parameters.length];
		for (int i = 0; i < this.parameters.length; i++) {
			this.bound[i] = firstSupporting(resolvers, this.parameters[i]);
		}
	}

	private static @Nullable HandlerMethodArgumentResolver firstSupporting(
			List<? extends HandlerMethodArgumentResolver> resolvers, MethodParameter parameter) {
		for (HandlerMethodArgumentResolver resolver : resolvers) {
			if (resolver.supportsParameter(parameter)) {
				return resolver;
			}
		}
		return null;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		int index = indexOf(parameter);
		return (index >= 0) ? this.bound[index] != null : super.supportsParameter(parameter);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
		int index = indexOf(parameter);
		HandlerMethodArgumentResolver resolver = (index >= 0) ? this.bound[index] : null;
		if (resolver == null) {
			// not one of this method's, or unsupported: the composite's lookup and its
			// error
			return super.resolveArgument(parameter, message);
		}
		return resolver.resolveArgument(parameter, message);
	}

	private int indexOf(MethodParameter parameter) {
		MethodParameter[] known = this.parameters;
		for (int i = 0; i < known.length; i++) {
			if (known[i] == parameter) {
				return i;
			}
		}
		return -1;
	}

}
