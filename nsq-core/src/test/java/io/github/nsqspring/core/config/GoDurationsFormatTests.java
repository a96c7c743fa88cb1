package io.github.nsqspring.core.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoDurationsFormatTests {

	@Test
	void formatsLikeGo() {
		assertThat(GoDurations.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(GoDurations.format(Duration.ofNanos(1))).isEqualTo("1ns");
		assertThat(GoDurations.format(Duration.ofNanos(1500))).isEqualTo("1.5µs");
		assertThat(GoDurations.format(Duration.ofMillis(999))).isEqualTo("999ms");
		assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
		assertThat(GoDurations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
		assertThat(GoDurations.format(Duration.ofMinutes(60))).isEqualTo("1h0m0s");
		assertThat(GoDurations.format(Duration.ofMillis(-1))).isEqualTo("-1ms");
	}

	@Test
	void formattedValuesParseBackToTheSameDuration() {
		for (Duration duration : new Duration[] { Duration.ofNanos(7), Duration.ofMillis(250), Duration.ofSeconds(90),
				Duration.ofMinutes(15), Duration.ofHours(2).plusMillis(5) }) {
			assertThat(GoDurations.coerce("x", GoDurations.format(duration))).isEqualTo(duration);
		}
	}

}
