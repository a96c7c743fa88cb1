package io.github.nsqspring.boot.listener;

import org.springframework.messaging.Message;

/**
 * An error handler for one {@code @NsqListener} method, referenced by bean name from its
 * {@code errorHandler} attribute. It runs before the container's {@link NsqErrorHandler}:
 * returning normally means the failure was handled and the message is finished; throwing
 * (for example rethrowing the given exception) passes the failure on to the container,
 * which requeues or recovers the message.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqListenerErrorHandler {

	/**
	 * Handle a failure of the listener method.
	 * @param message the Spring message the method was called with (payload: the raw
	 * body; headers: {@link io.github.nsqspring.boot.support.NsqHeaders})
	 * @param exception the failure, with the original exception as cause
	 * @throws Exception to pass the failure on to the container
	 */
	void handleError(Message<?> message, ListenerExecutionFailedException exception) throws Exception;

}
