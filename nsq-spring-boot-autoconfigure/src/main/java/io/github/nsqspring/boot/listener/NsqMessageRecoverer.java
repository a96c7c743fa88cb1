package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Last stop of a message that will not be retried: it exhausted its attempts, or it
 * failed with an exception that retrying cannot fix (conversion, validation). After
 * {@link #recover} returns, the container finishes the message; if it throws, the message
 * is requeued with backoff instead (logged at error level and counted by the container),
 * so that a failed dead-letter publish never loses it: nsqd delivers it again after the
 * requeue delay and the recoverer runs again.
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see LoggingNsqMessageRecoverer
 * @see DeadLetterPublishingRecoverer
 */
@FunctionalInterface
public interface NsqMessageRecoverer {

	/**
	 * Recover a message.
	 * @param message the message
	 * @param topic the topic it was consumed from
	 * @param channel the channel it was consumed from
	 * @param cause why it is not retried
	 * @throws Exception to have the message requeued rather than finished
	 */
	void recover(NsqMessage message, String topic, String channel, Throwable cause) throws Exception;

}
