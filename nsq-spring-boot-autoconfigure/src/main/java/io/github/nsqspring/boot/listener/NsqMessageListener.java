package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Receives the messages of a listener container, for code that registers listeners
 * without {@code @NsqListener}. Returning normally finishes the message (unless the
 * listener answered it itself, or called {@link NsqMessage#disableAutoResponse()});
 * throwing hands it to the container's {@link NsqErrorHandler}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqMessageListener {

	/**
	 * Handle one message.
	 * @param message the message as nsqd delivered it
	 * @throws Exception any failure, handed to the container's error handler
	 */
	void onMessage(NsqMessage message) throws Exception;

}
