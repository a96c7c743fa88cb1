package io.github.nsqspring.boot.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Several {@link NsqMessageInterceptor}s as one: {@link #intercept} runs them in order,
 * each given what the previous returned, and stops at the first {@code null}; the other
 * methods run in reverse order, as interceptors unwind. An exception from one of those is
 * logged and the next interceptor still runs.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class CompositeNsqMessageInterceptor implements NsqMessageInterceptor {

	private static final LogAccessor logger = new LogAccessor(CompositeNsqMessageInterceptor.class);

	private final List<NsqMessageInterceptor> delegates;

	/**
	 * Combine interceptors.
	 * @param delegates the interceptors, in order
	 */
	public CompositeNsqMessageInterceptor(NsqMessageInterceptor... delegates) {
		this(List.of(delegates));
	}

	/**
	 * Combine interceptors.
	 * @param delegates the interceptors, in order
	 */
	public CompositeNsqMessageInterceptor(List<? extends NsqMessageInterceptor> delegates) {
		Assert.noNullElements(delegates, "'delegates' must not contain null");
		List<NsqMessageInterceptor> list = new ArrayList<>(delegates);
		this.delegates = Collections.unmodifiableList(list);
	}

	/**
	 * The interceptors.
	 * @return the interceptors, in order
	 */
	public List<NsqMessageInterceptor> getDelegates() {
		return this.delegates;
	}

	@Override
	public @Nullable NsqMessage intercept(NsqMessage message, NsqMessageListenerContainer container) throws Exception {
		NsqMessage current = message;
		for (NsqMessageInterceptor delegate : this.delegates) {
			current = delegate.intercept(current, container);
			if (current == null) {
				return null;
			}
		}
		return current;
	}

	@Override
	public void success(NsqMessage message, NsqMessageListenerContainer container) {
		reverse((delegate) -> delegate.success(message, container), "success");
	}

	@Override
	public void failure(NsqMessage message, Exception exception, NsqMessageListenerContainer container) {
		reverse((delegate) -> delegate.failure(message, exception, container), "failure");
	}

	@Override
	public void afterMessage(NsqMessage message, NsqMessageListenerContainer container) {
		reverse((delegate) -> delegate.afterMessage(message, container), "afterMessage");
	}

	private void reverse(java.util.function.Consumer<NsqMessageInterceptor> call, String method) {
		for (int i = this.delegates.size() - 1; i >= 0; i--) {
			NsqMessageInterceptor delegate = this.delegates.get(i);
			try {
				call.accept(delegate);
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "Interceptor " + delegate + " failed in " + method);
			}
		}
	}

}
