package io.github.nsqspring.core.consumer;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.BackoffStrategy;

import static org.assertj.core.api.Assertions.assertThat;

class RdyMathTests {

	@Test
	void sharesHandOutTheRemainder() {
		assertThat(shares(10, 3)).containsExactly(4, 3, 3);
		assertThat(shares(5, 1)).containsExactly(5);
		assertThat(shares(2500, 4)).containsExactly(625, 625, 625, 625);
		assertThat(shares(7, 4)).containsExactly(2, 2, 2, 1);
	}

	@Test
	void sharesBelowOnePerConnectionAreOneEachAndZeroPauses() {
		// the global max_in_flight check then stops the connections beyond it
		assertThat(shares(2, 3)).containsExactly(1, 1, 1);
		assertThat(shares(0, 3)).containsExactly(0, 0, 0);
		assertThat(RdyMath.share(5, 0, 0)).isZero();
	}

	@Test
	void automaticRequeueDelayIsDefaultTimesAttemptsCapped() {
		Duration unit = Duration.ofSeconds(90);
		Duration max = Duration.ofMinutes(15);
		assertThat(RdyMath.requeueDelayMillis(unit, max, 0)).isZero();
		assertThat(RdyMath.requeueDelayMillis(unit, max, 1)).isEqualTo(90_000);
		assertThat(RdyMath.requeueDelayMillis(unit, max, 3)).isEqualTo(270_000);
		assertThat(RdyMath.requeueDelayMillis(unit, max, 10)).isEqualTo(900_000);
		assertThat(RdyMath.requeueDelayMillis(unit, max, 65535)).isEqualTo(900_000);
		assertThat(RdyMath.requeueDelayMillis(Duration.ofMinutes(60), Duration.ofMinutes(60), 65535))
			.isEqualTo(3_600_000);
		assertThat(RdyMath.requeueDelayMillis(Duration.ZERO, max, 4)).isZero();
	}

	@Test
	void exponentialBackoffLevelsWithGoNsqDefaults() {
		Duration multiplier = Duration.ofSeconds(1);
		Duration max = Duration.ofMinutes(2);
		for (int level = 1; level <= 6; level++) {
			assertThat(RdyMath.backoff(BackoffStrategy.EXPONENTIAL, multiplier, level, max))
				.isEqualTo(Duration.ofSeconds(1L << level));
		}
		// level 7 (128 s) is over the max: the consumer never reaches it, and the wait is
		// capped anyway
		assertThat(BackoffStrategy.EXPONENTIAL.calculate(multiplier, 7)).isGreaterThan(max);
		assertThat(RdyMath.backoff(BackoffStrategy.EXPONENTIAL, multiplier, 7, max)).isEqualTo(max);
	}

	@Test
	void fullJitterBackoffStaysBelowTheExponentialBound() {
		for (int i = 0; i < 100; i++) {
			Duration wait = RdyMath.backoff(BackoffStrategy.FULL_JITTER, Duration.ofMillis(10), 3,
					Duration.ofMinutes(1));
			assertThat(wait.isNegative()).isFalse();
			assertThat(wait).isLessThan(Duration.ofMillis(80));
		}
	}

	private static long[] shares(int maxInFlight, int connections) {
		long[] shares = new long[connections];
		for (int i = 0; i < connections; i++) {
			shares[i] = RdyMath.share(maxInFlight, connections, i);
		}
		return shares;
	}

}
