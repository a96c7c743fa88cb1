package io.github.nsqspring.core.consumer;

/**
 * Handles the messages of a consumer. Returning normally means success (the message is
 * finished), throwing means failure (the message is requeued with backoff, until
 * {@code max_attempts}). Called from the consumer's executor, by up to
 * {@code concurrency} threads at once.
 */
@FunctionalInterface
public interface MessageHandler {

	/**
	 * Handle one message.
	 * @param message the message
	 * @throws Exception to have the message requeued
	 */
	void handle(NsqMessage message) throws Exception;

}
