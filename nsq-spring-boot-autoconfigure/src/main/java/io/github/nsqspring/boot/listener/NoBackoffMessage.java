package io.github.nsqspring.boot.listener;

import java.time.Duration;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message of a batch that failed as a whole, after the first: requeues do not signal
 * backoff again. The automatic delay is go-nsq's: {@code default_requeue_delay} times the
 * attempts, capped by {@code max_requeue_delay}.
 *
 * @author nsq-spring
 */
final class NoBackoffMessage extends DelegatingNsqMessage {

	private final @Nullable NsqConfig config;

	NoBackoffMessage(NsqMessage delegate, @Nullable NsqConfig config) {
		super(delegate);
		this.config = config;
	}

	@Override
	public void requeue() {
		super.requeueWithoutBackoff(automaticDelay());
	}

	@Override
	public void requeue(Duration delay) {
		super.requeueWithoutBackoff(delay);
	}

	private Duration automaticDelay() {
		if (this.config == null) {
			return Duration.ZERO;
		}
		long unit = this.config.consumer().getDefaultRequeueDelay().toMillis();
		long cap = this.config.consumer().getMaxRequeueDelay().toMillis();
		int attempts = attempts();
		if (attempts <= 0 || unit <= 0) {
			return Duration.ZERO;
		}
		long delay = (unit > cap / attempts) ? cap : unit * attempts;
		return Duration.ofMillis(Math.max(0, Math.min(delay, cap)));
	}

}
