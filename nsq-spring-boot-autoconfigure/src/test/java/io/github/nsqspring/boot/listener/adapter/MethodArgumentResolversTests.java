package io.github.nsqspring.boot.listener.adapter;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The resolvers bound to one method's parameters resolve as Spring's shared composite
 * would: the first resolver in order that supports a parameter, Spring's error for a
 * parameter none supports, and the composite's lookup for parameters of other methods.
 */
class MethodArgumentResolversTests {

	private final Message<String> message = MessageBuilder.withPayload("body").build();

	@Test
	void eachParameterGetsTheFirstResolverInOrderThatSupportsIt() throws Exception {
		InvocableHandlerMethod method = handlerMethod("twoArguments", String.class, Integer.class);
		MethodArgumentResolvers resolvers = new MethodArgumentResolvers(List.of(new Fixed(String.class, "first"),
				new Fixed(String.class, "second"), new Fixed(Integer.class, 7)), method);
		method.setMessageMethodArgumentResolvers(resolvers);

		assertThat(method.invoke(this.message)).isEqualTo("first/7");
		assertThat(method.invoke(this.message)).isEqualTo("first/7");
	}

	@Test
	void aParameterNoResolverSupportsFailsAsInSpring() {
		InvocableHandlerMethod method = handlerMethod("twoArguments", String.class, Integer.class);
		MethodArgumentResolvers resolvers = new MethodArgumentResolvers(List.of(new Fixed(String.class, "first")),
				method);
		MethodParameter unsupported = method.getMethodParameters()[1];

		assertThat(resolvers.supportsParameter(method.getMethodParameters()[0])).isTrue();
		assertThat(resolvers.supportsParameter(unsupported)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> resolvers.resolveArgument(unsupported, this.message))
			.withMessageContaining("java.lang.Integer");
	}

	@Test
	void aParameterOfAnotherMethodGoesToTheSharedLookup() throws Exception {
		InvocableHandlerMethod bound = handlerMethod("twoArguments", String.class, Integer.class);
		InvocableHandlerMethod other = handlerMethod("oneArgument", Integer.class);
		MethodArgumentResolvers resolvers = new MethodArgumentResolvers(
				List.of(new Fixed(String.class, "first"), new Fixed(Integer.class, 7)), bound);
		MethodParameter foreign = other.getMethodParameters()[0];

		assertThat(resolvers.supportsParameter(foreign)).isTrue();
		assertThat(resolvers.resolveArgument(foreign, this.message)).isEqualTo(7);
	}

	private static InvocableHandlerMethod handlerMethod(String name, Class<?>... parameterTypes) {
		try {
			return new InvocableHandlerMethod(new Listener(), Listener.class.getMethod(name, parameterTypes));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static class Listener {

		public String twoArguments(String text, Integer number) {
			return text + "/" + number;
		}

		public String oneArgument(Integer number) {
			return String.valueOf(number);
		}

	}

	/**
	 * Resolves every parameter of one type to one value.
	 */
	private record Fixed(Class<?> type, Object value) implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == this.type;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			return this.value;
		}

	}

}
