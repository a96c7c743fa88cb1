package io.github.nsqspring.core.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a consumer waits at a given backoff level (go-nsq {@code backoff_strategy}).
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface BackoffStrategy {

	/**
	 * go-nsq's {@code exponential}: {@code multiplier × 2^level}.
	 */
	BackoffStrategy EXPONENTIAL = new Named("exponential", Named::scaled);

	/**
	 * go-nsq's {@code full_jitter}: a random duration in
	 * {@code [0, multiplier × 2^level)}. Unlike go-nsq it does not fail when that product
	 * is zero; it waits zero.
	 */
	BackoffStrategy FULL_JITTER = new Named("full_jitter", (multiplier, level) -> {
		Duration scaled = Named.scaled(multiplier, level);
		long bound = (scaled.compareTo(Named.MAX_NANOS) >= 0) ? Long.MAX_VALUE : scaled.toNanos();
		return (bound <= 0) ? Duration.ZERO : Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound));
	});

	/**
	 * The wait at a backoff level.
	 * @param multiplier the configured {@code backoff_multiplier}
	 * @param level the backoff level, 1 or more
	 * @return the wait, never negative
	 */
	Duration calculate(Duration multiplier, int level);

	/**
	 * The strategy with a go-nsq name.
	 * @param name {@code exponential} or {@code full_jitter}
	 * @return the strategy
	 * @throws io.github.nsqspring.core.NsqConfigException for another name
	 */
	static BackoffStrategy forName(String name) {
		return switch (name) {
			case "exponential" -> EXPONENTIAL;
			case "full_jitter" -> FULL_JITTER;
			default -> throw new io.github.nsqspring.core.NsqConfigException(
					"unknown backoff strategy \"" + name + "\" (expected exponential or full_jitter)");
		};
	}

	/**
	 * A built-in strategy that prints its go-nsq name.
	 */
	final class Named implements BackoffStrategy {

		/** The longest duration that {@link Duration#toNanos()} can express. */
		private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

		private final String name;

		private final BackoffStrategy delegate;

		private Named(String name, BackoffStrategy delegate) {
			this.name = name;
			this.delegate = delegate;
		}

		@Override
		public Duration calculate(Duration multiplier, int level) {
			return this.delegate.calculate(multiplier, level);
		}

		@Override
		public String toString() {
			return this.name;
		}

		/**
		 * {@code multiplier × 2^level}, with the level clamped to 0..40 and the result
		 * saturated instead of overflowing; a negative multiplier counts as zero.
		 */
		static Duration scaled(Duration multiplier, int level) {
			if (multiplier.isNegative() || multiplier.isZero()) {
				return Duration.ZERO;
			}
			long factor = 1L << Math.max(0, Math.min(level, 40));
			try {
				return multiplier.multipliedBy(factor);
			}
			catch (ArithmeticException ex) {
				return Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
			}
		}

	}

}
