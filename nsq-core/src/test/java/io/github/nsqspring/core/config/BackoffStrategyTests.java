package io.github.nsqspring.core.config;

import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BackoffStrategyTests {

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	@Test
	void exponentialDoublesPerLevelLikeGoNsq() {
		// go-nsq: multiplier * 2^attempt
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(ONE_SECOND, 0)).isEqualTo(ONE_SECOND);
		long[] expected = { 2, 4, 8, 16, 32, 64 };
		for (int level = 1; level <= 6; level++) {
			assertThat(BackoffStrategy.EXPONENTIAL.calculate(ONE_SECOND, level)).as("level %d", level)
				.isEqualTo(Duration.ofSeconds(expected[level - 1]));
		}
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(Duration.ofMillis(250), 3)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void exponentialNeverOverflowsOrGoesNegative() {
		Duration previous = Duration.ZERO;
		for (int level = 0; level <= 100; level++) {
			Duration wait = BackoffStrategy.EXPONENTIAL.calculate(Duration.ofMinutes(60), level);
			assertThat(wait).as("level %d", level).isGreaterThanOrEqualTo(previous);
			previous = wait;
		}
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(ONE_SECOND, Integer.MAX_VALUE)).isPositive();
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(ONE_SECOND, -1)).isEqualTo(ONE_SECOND);
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(Duration.ofSeconds(Long.MAX_VALUE / 2), 40)).isPositive();
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(Duration.ZERO, 5)).isZero();
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(Duration.ofSeconds(-1), 5)).isZero();
	}

	@Test
	void fullJitterStaysBelowTheExponentialBound() {
		for (int level = 1; level <= 6; level++) {
			Duration bound = Duration.ofSeconds(1L << level);
			boolean upperHalf = false;
			for (int i = 0; i < 500; i++) {
				Duration wait = BackoffStrategy.FULL_JITTER.calculate(ONE_SECOND, level);
				assertThat(wait).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(bound);
				upperHalf |= wait.compareTo(bound.dividedBy(2)) >= 0;
			}
			// 500 uniform draws all in the lower half: probability 2^-500
			assertThat(upperHalf).as("level %d spreads over the range", level).isTrue();
		}
	}

	@Test
	void fullJitterWithZeroMultiplierWaitsZero() {
		assertThat(BackoffStrategy.FULL_JITTER.calculate(Duration.ZERO, 3)).isZero();
		assertThat(BackoffStrategy.FULL_JITTER.calculate(Duration.ofSeconds(-1), 3)).isZero();
	}

	@Test
	void fullJitterAtHighLevelsDoesNotOverflowNanoseconds() {
		for (int level : new int[] { 33, 34, 40, 64, 1000, Integer.MAX_VALUE, -5 }) {
			assertThat(BackoffStrategy.FULL_JITTER.calculate(ONE_SECOND, level)).as("level %d", level)
				.isGreaterThanOrEqualTo(Duration.ZERO);
			assertThat(BackoffStrategy.FULL_JITTER.calculate(Duration.ofMinutes(60), level)).as("level %d", level)
				.isGreaterThanOrEqualTo(Duration.ZERO);
		}
	}

	@Test
	void namesAndLookup() {
		assertThat(BackoffStrategy.forName("exponential")).isSameAs(BackoffStrategy.EXPONENTIAL);
		assertThat(BackoffStrategy.forName("full_jitter")).isSameAs(BackoffStrategy.FULL_JITTER);
		assertThat(BackoffStrategy.EXPONENTIAL).hasToString("exponential");
		assertThat(BackoffStrategy.FULL_JITTER).hasToString("full_jitter");
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(() -> BackoffStrategy.forName("Exponential"))
			.withMessageContaining("\"Exponential\"");
	}

}
