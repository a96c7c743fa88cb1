package io.github.nsqspring.core.consumer;

import java.time.Duration;

/**
 * The arithmetic of go-nsq's flow control, kept apart so it can be tested exactly.
 */
final class RdyMath {

	private RdyMath() {
	}

	/**
	 * The RDY share of the connection at {@code index} among {@code connections}. go-nsq
	 * gives every connection {@code min(max(1, maxInFlight / connections), maxInFlight)},
	 * which leaves up to {@code connections - 1} of {@code maxInFlight} unused (go-nsq
	 * issue #378: 10 over 3 connections is 3 + 3 + 3). Here the remainder goes to the
	 * first connections, one each: 4 + 3 + 3.
	 * @param maxInFlight the consumer's max_in_flight
	 * @param connections the number of connections
	 * @param index the connection's position, 0-based
	 * @return the share, 0 when max_in_flight is 0
	 */
	static long share(int maxInFlight, int connections, int index) {
		if (maxInFlight <= 0 || connections <= 0) {
			return 0;
		}
		long share = Math.min(Math.max(1, maxInFlight / connections), maxInFlight);
		if (maxInFlight >= connections && index < maxInFlight % connections) {
			share++;
		}
		return share;
	}

	/**
	 * go-nsq's automatic requeue delay: {@code default_requeue_delay × attempts}, capped
	 * by {@code max_requeue_delay}, in whole milliseconds.
	 * @param defaultDelay the default requeue delay
	 * @param maxDelay the max requeue delay
	 * @param attempts the message's attempts
	 * @return the delay in milliseconds, 0 or more
	 */
	static long requeueDelayMillis(Duration defaultDelay, Duration maxDelay, int attempts) {
		long unit = defaultDelay.toMillis();
		long cap = maxDelay.toMillis();
		if (attempts <= 0 || unit <= 0) {
			return 0;
		}
		// saturate instead of overflowing: attempts can be 65535
		long delay = (unit > cap / attempts) ? cap : unit * attempts;
		return Math.max(0, Math.min(delay, cap));
	}

	/**
	 * The wait at a backoff level, capped by {@code max_backoff_duration}.
	 * @param strategy the strategy
	 * @param multiplier the backoff multiplier
	 * @param level the level, 1 or more
	 * @param max the max backoff duration
	 * @return the wait
	 */
	static Duration backoff(io.github.nsqspring.core.config.BackoffStrategy strategy, Duration multiplier, int level,
			Duration max) {
		Duration wait = strategy.calculate(multiplier, level);
		return (wait.compareTo(max) > 0) ? max : wait;
	}

}
