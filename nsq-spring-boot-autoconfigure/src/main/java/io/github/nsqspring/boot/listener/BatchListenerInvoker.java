package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.nsqspring.boot.metrics.NsqListenerMetrics;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Hands one batch to a container's {@link NsqBatchMessageListener} and answers each of
 * its messages as {@link NsqBatchMessageListener} describes: all finished on success;
 * after an {@link NsqBatchListenerFailedException}, the ones before the failed message
 * finished, that one to the error handler and the rest requeued at once without backoff;
 * after any other failure, every one to the error handler with a single backoff signal.
 * The interceptor's {@code success}, {@code failure} and {@code afterMessage} are called
 * per message. Runs on the batcher's listener loops.
 *
 * @author nsq-spring
 */
final class BatchListenerInvoker {

	private static final LogAccessor logger = new LogAccessor(BatchListenerInvoker.class);

	private final DefaultNsqMessageListenerContainer container;

	BatchListenerInvoker(DefaultNsqMessageListenerContainer container) {
		this.container = container;
	}

	/**
	 * Call the batch listener with one batch and answer every message (batcher loop).
	 */
	void process(List<BatchedMessage> batch) {
		NsqBatchMessageListener listener = this.container.getContainerProperties().getBatchMessageListener();
		NsqMessageInterceptor interceptor = this.container.getContainerProperties().getMessageInterceptor();
		NsqListenerMetrics listenerMetrics = this.container.currentMetrics();
		long start = System.nanoTime();
		boolean succeeded = false;
		try {
			Assert.state(listener != null, "No batch message listener");
			listener.onBatch(Collections.unmodifiableList(new ArrayList<NsqMessage>(batch)));
			succeeded = true;
			succeed(batch, 0, batch.size(), interceptor);
		}
		catch (NsqBatchListenerFailedException ex) {
			int index = indexOf(ex, batch);
			if (index < 0) {
				logger.warn(() -> "Batch listener of '" + this.container.getListenerId()
						+ "' named no message of its batch of " + batch.size() + " (index " + ex.getIndex()
						+ "); failing the whole batch");
				failBatch(batch, ex, interceptor, listenerMetrics);
			}
			else {
				succeed(batch, 0, index, interceptor);
				Exception cause = (ex.getCause() instanceof Exception failure) ? failure : ex;
				BatchedMessage failed = batch.get(index);
				if (interceptor != null) {
					this.container.safely(() -> interceptor.failure(failed, cause, this.container), "failure");
				}
				this.container.handleFailure(failed, cause, listenerMetrics);
				// not processed: back to nsqd at once, without slowing the consumer down
				for (int i = index + 1; i < batch.size(); i++) {
					BatchedMessage unprocessed = batch.get(i);
					if (!unprocessed.hasResponded()) {
						unprocessed.requeueWithoutBackoff(Duration.ZERO);
					}
				}
			}
		}
		catch (Exception ex) {
			failBatch(batch, ex, interceptor, listenerMetrics);
		}
		finally {
			if (interceptor != null) {
				for (BatchedMessage message : batch) {
					this.container.safely(() -> interceptor.afterMessage(message, this.container), "afterMessage");
				}
			}
			if (listenerMetrics != null) {
				listenerMetrics.recordHandler(System.nanoTime() - start, succeeded);
			}
		}
	}

	private void succeed(List<BatchedMessage> batch, int from, int to, @Nullable NsqMessageInterceptor interceptor) {
		for (int i = from; i < to; i++) {
			BatchedMessage message = batch.get(i);
			if (interceptor != null) {
				this.container.safely(() -> interceptor.success(message, this.container), "success");
			}
			if (!message.isAutoResponseDisabled() && !message.hasResponded()) {
				message.finish();
			}
		}
	}

	/**
	 * The batch failed as a whole: every unanswered message goes to the error handler,
	 * with a single backoff signal for the batch.
	 */
	private void failBatch(List<BatchedMessage> batch, Exception exception, @Nullable NsqMessageInterceptor interceptor,
			@Nullable NsqListenerMetrics listenerMetrics) {
		boolean backoffSignalled = false;
		NsqConfig config = this.container.getConsumerConfig();
		for (BatchedMessage message : batch) {
			if (interceptor != null) {
				this.container.safely(() -> interceptor.failure(message, exception, this.container), "failure");
			}
			if (message.hasResponded()) {
				continue;
			}
			NsqMessage target = backoffSignalled ? new NoBackoffMessage(message, config) : message;
			backoffSignalled = true;
			this.container.handleFailure(target, exception, listenerMetrics);
		}
	}

	private static int indexOf(NsqBatchListenerFailedException exception, List<BatchedMessage> batch) {
		if (exception.getFailedMessage() == null) {
			int index = exception.getIndex();
			return (index >= 0 && index < batch.size()) ? index : -1;
		}
		NsqMessage failed = exception.getFailedMessage();
		for (int i = 0; i < batch.size(); i++) {
			BatchedMessage candidate = batch.get(i);
			if (candidate == failed || candidate.delegate() == failed) {
				return i;
			}
		}
		for (int i = 0; i < batch.size(); i++) {
			BatchedMessage candidate = batch.get(i);
			if (candidate.idText().equals(failed.idText()) && candidate.nsqdAddress().equals(failed.nsqdAddress())) {
				return i;
			}
		}
		return -1;
	}

}
