package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.connection.NsqAddress;

/**
 * When a consumer tries an nsqd again: the exponential reconnect delays of configured
 * nsqd and their timers, why each nsqd that is not connected failed last, and the nsqd
 * given up on because their failure cannot heal. Thread-safe.
 */
final class Reconnects {

	private static final Logger logger = LoggerFactory.getLogger(Reconnects.class);

	private final String name;

	private final Duration initial;

	private final Duration max;

	private final ConsumerExecutors executors;

	// ---- guarded by this

	private final Map<String, Integer> attempts = new HashMap<>();

	private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

	/** nsqd that failed permanently: never tried again. */
	private final Map<String, NsqException> givenUp = new HashMap<>();

	/** Why the last attempt to connect to an nsqd that is not connected failed. */
	private final Map<String, String> lastFailures = new HashMap<>();

	private boolean stopped;

	/**
	 * @param name the consumer's name, for logs
	 * @param initial the first delay
	 * @param max the longest delay
	 * @param executors where the timers run
	 */
	Reconnects(String name, Duration initial, Duration max, ConsumerExecutors executors) {
		this.name = name;
		this.initial = initial;
		this.max = max;
		this.executors = executors;
	}

	/**
	 * Try an nsqd again after a delay that doubles with each failed attempt (unless a try
	 * is pending already).
	 * @param address the nsqd
	 * @param connect what trying means, run on the scheduler
	 */
	synchronized void schedule(NsqAddress address, Runnable connect) {
		String key = address.toString();
		if (this.stopped || this.timers.containsKey(key) || this.givenUp.containsKey(key)) {
			return;
		}
		int attempt = this.attempts.merge(key, 1, Integer::sum);
		long delay = delayNanos(attempt);
		logger.info("Consumer {} reconnects to nsqd {} in {} ms (attempt {})", this.name, key,
				TimeUnit.NANOSECONDS.toMillis(delay), attempt);
		ScheduledFuture<?> timer = this.executors.schedule("reconnect", () -> {
			synchronized (this) {
				this.timers.remove(key);
			}
			connect.run();
		}, delay);
		if (timer != null) {
			this.timers.put(key, timer);
		}
	}

	/**
	 * Exponential reconnect delay with ±20% jitter: the initial delay doubled per failed
	 * attempt, up to the maximum.
	 */
	long delayNanos(int attempt) {
		long initial = this.initial.toNanos();
		long max = this.max.toNanos();
		long delay = (attempt >= 40 || initial > (max >> Math.min(attempt - 1, 62))) ? max : initial << (attempt - 1);
		delay = Math.min(delay, max);
		double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
		return (long) (delay * jitter);
	}

	synchronized void failed(String key, String why) {
		if (why != null && !this.givenUp.containsKey(key)) {
			this.lastFailures.put(key, why);
		}
	}

	synchronized void connected(String key) {
		this.attempts.remove(key);
		this.lastFailures.remove(key);
	}

	synchronized void giveUp(String key, NsqException failure) {
		this.givenUp.put(key, failure);
		this.lastFailures.remove(key);
		ConsumerExecutors.cancel(this.timers.remove(key));
	}

	synchronized boolean isGivenUp(String key) {
		return this.givenUp.containsKey(key);
	}

	/**
	 * Forget the failures of the nsqd that are no longer candidates (e.g. nsqlookupd
	 * stopped listing them).
	 * @param keep which addresses are still candidates
	 */
	synchronized void forgetUnless(Predicate<String> keep) {
		this.lastFailures.keySet().removeIf(keep.negate());
	}

	/**
	 * Cancel every pending try; no more are scheduled.
	 */
	synchronized void stop() {
		this.stopped = true;
		this.timers.values().forEach(ConsumerExecutors::cancel);
		this.timers.clear();
	}

	/**
	 * Add an entry for every nsqd not connected, retried or given up, unless {@code seen}
	 * has it already.
	 * @param stats where to add
	 * @param seen the addresses with an entry
	 */
	synchronized void addStats(List<ConnectionStats> stats, Set<String> seen) {
		this.lastFailures.forEach((address, error) -> {
			if (seen.add(address)) {
				stats.add(new ConnectionStats(address, ConnectionStats.State.RETRYING, 0, 0, 0, 0, error));
			}
		});
		this.givenUp.forEach((address, failure) -> {
			if (seen.add(address)) {
				stats.add(new ConnectionStats(address, ConnectionStats.State.FAILED, 0, 0, 0, 0, failure.getMessage()));
			}
		});
	}

}
