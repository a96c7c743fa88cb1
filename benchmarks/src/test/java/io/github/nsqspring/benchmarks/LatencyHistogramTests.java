package io.github.nsqspring.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTests {

	@Test
	void emptyHistogramReportsZero() {
		LatencyHistogram histogram = new LatencyHistogram();
		assertThat(histogram.count()).isZero();
		assertThat(histogram.percentileNanos(99)).isZero();
	}

	@Test
	void percentilesAreWithinOnePercent() {
		LatencyHistogram histogram = new LatencyHistogram();
		for (long i = 1; i <= 100_000; i++) {
			histogram.record(i * 1_000);
		}
		assertThat(histogram.count()).isEqualTo(100_000);
		assertThat(histogram.percentileNanos(50)).isCloseTo(50_000_000L, within(500_000L));
		assertThat(histogram.percentileNanos(90)).isCloseTo(90_000_000L, within(900_000L));
		assertThat(histogram.percentileNanos(99)).isCloseTo(99_000_000L, within(990_000L));
		assertThat(histogram.percentileNanos(100)).isEqualTo(100_000_000L);
		assertThat(histogram.maxNanos()).isEqualTo(100_000_000L);
	}

	@Test
	void smallAndHugeValuesAndNegatives() {
		LatencyHistogram histogram = new LatencyHistogram();
		histogram.record(-5);
		histogram.record(3);
		histogram.record(Long.MAX_VALUE);
		assertThat(histogram.percentileNanos(1)).isZero();
		assertThat(histogram.percentileNanos(50)).isEqualTo(3);
		assertThat(histogram.percentileNanos(100)).isCloseTo(Long.MAX_VALUE, within(Long.MAX_VALUE / 100));
	}

	@Test
	void bucketsAreContiguous() {
		for (long value = 0; value < 1_000_000; value += 7) {
			int index = LatencyHistogram.index(value);
			long representative = LatencyHistogram.valueOf(index);
			assertThat((double) representative).isCloseTo(value, within(Math.max(1, value / 100.0)));
		}
	}

}
