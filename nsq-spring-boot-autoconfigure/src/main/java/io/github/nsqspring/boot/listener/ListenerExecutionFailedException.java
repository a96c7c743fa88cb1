package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.NsqException;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * A listener method failed: its arguments could not be resolved, or it threw. The cause
 * is the original exception; the failed Spring message is kept for error handlers.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ListenerExecutionFailedException extends NsqException {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable Message<?> failedMessage;

	/**
	 * Create an instance.
	 * @param message the description
	 * @param cause the original exception
	 * @param failedMessage the message the listener was called with
	 */
	public ListenerExecutionFailedException(String message, Throwable cause, @Nullable Message<?> failedMessage) {
		super(message, cause);
		this.failedMessage = failedMessage;
	}

	/**
	 * The message the listener was called with.
	 * @return the message, or {@code null}
	 */
	public @Nullable Message<?> getFailedMessage() {
		return this.failedMessage;
	}

}
