package io.github.nsqspring.core.consumer;

/**
 * Called for a message delivered more than {@code max_attempts} times, instead of the
 * message handler (go-nsq's {@code FailedMessageLogger}); typically it logs the message
 * or publishes it to a dead-letter topic.
 * <ul>
 * <li>When it returns, the consumer finishes the message (unless it answered the message
 * itself).</li>
 * <li>When it throws (e.g. the dead-letter publish failed), the message is not finished:
 * it is requeued with the automatic delay and backoff, as a failed handler's message is,
 * and handed to this handler again on its next delivery. The failure is logged as a WARN
 * naming the message id and the topic/channel (never the body) and counted in
 * {@link ConsumerStats#failedMessageHandlerErrors()}. A message is so never lost because
 * its recovery failed.</li>
 * </ul>
 * The default handler logs the message id and finishes it.
 */
@FunctionalInterface
public interface FailedMessageHandler {

	/**
	 * Handle a message that exhausted its attempts.
	 * @param message the message
	 * @throws RuntimeException to have the message requeued instead of finished
	 */
	void onFailedMessage(NsqMessage message);

}
