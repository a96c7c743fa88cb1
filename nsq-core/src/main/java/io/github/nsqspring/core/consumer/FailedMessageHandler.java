package io.github.nsqspring.core.consumer;

/**
 * Called for a message delivered more than {@code max_attempts} times, before the
 * consumer finishes it without calling the handler (go-nsq's
 * {@code FailedMessageLogger}). An exception thrown here is logged; the message is
 * finished anyway.
 */
@FunctionalInterface
public interface FailedMessageHandler {

	/**
	 * Handle a message that exhausted its attempts.
	 * @param message the message
	 */
	void onFailedMessage(NsqMessage message);

}
