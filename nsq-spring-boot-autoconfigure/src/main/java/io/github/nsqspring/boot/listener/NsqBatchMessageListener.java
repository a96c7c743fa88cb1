package io.github.nsqspring.boot.listener;

import java.util.List;

import io.github.nsqspring.core.consumer.NsqMessage;

/**
 * Receives the messages of a listener container in batches, for code that registers batch
 * listeners without {@code @NsqListener(batch = "true")}.
 * <p>
 * A batch is acknowledged as a whole: returning normally finishes every message the
 * listener did not answer itself (or for which it called
 * {@link NsqMessage#disableAutoResponse()}). Throwing an
 * {@link NsqBatchListenerFailedException} names the message that failed: the ones before
 * it are finished, it goes to the container's {@link NsqErrorHandler}, and the ones after
 * it are requeued at once without backoff (they were not processed; each REQ still counts
 * as an attempt on nsqd). Throwing anything else fails the batch as a whole: each message
 * goes to the error handler (requeued with its delay, or recovered at its last attempt),
 * with a single backoff signal for the batch.
 * <p>
 * The messages of a batch may come from several nsqd connections; each is answered on its
 * own. Time in the listener counts against each message's {@code msg_timeout}: a listener
 * that can take longer should {@link NsqMessage#touch() touch} its messages or raise
 * {@code msg_timeout}.
 *
 * @author nsq-spring
 * @since 0.1.0
 * @see NsqContainerProperties#setBatchMessageListener
 */
@FunctionalInterface
public interface NsqBatchMessageListener {

	/**
	 * Handle a batch.
	 * @param messages the messages, in the order they arrived; at least one
	 * @throws Exception any failure (see the class comment)
	 */
	void onBatch(List<NsqMessage> messages) throws Exception;

}
