package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a batch listener to say which message of the batch failed, as spring-kafka's
 * {@code BatchListenerFailedException}: the messages before it were processed and are
 * finished, this one goes to the container's {@link NsqErrorHandler} (with the cause of
 * this exception), and the ones after it are requeued at once without backoff. Name the
 * message by its index in the list the listener got, or by the message itself.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqBatchListenerFailedException extends NsqException {

	private static final long serialVersionUID = 1L;

	private final int index;

	private final transient @Nullable NsqMessage failedMessage;

	/**
	 * Name the failed message by its index.
	 * @param message the description
	 * @param cause the failure of that message
	 * @param index its index in the batch, from 0
	 */
	public NsqBatchListenerFailedException(String message, Throwable cause, int index) {
		super(message, cause);
		this.index = index;
		this.failedMessage = null;
	}

	/**
	 * Name the failed message itself.
	 * @param message the description
	 * @param cause the failure of that message
	 * @param failedMessage the message, as the listener got it
	 */
	public NsqBatchListenerFailedException(String message, Throwable cause, NsqMessage failedMessage) {
		super(message, cause);
		this.index = -1;
		this.failedMessage = failedMessage;
	}

	/**
	 * The index of the failed message.
	 * @return the index, or -1 when the message was given instead
	 */
	public int getIndex() {
		return this.index;
	}

	/**
	 * The failed message.
	 * @return the message, or {@code null} when the index was given instead
	 */
	public @Nullable NsqMessage getFailedMessage() {
		return this.failedMessage;
	}

}
