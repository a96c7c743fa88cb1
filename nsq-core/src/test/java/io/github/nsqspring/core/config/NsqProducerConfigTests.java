package io.github.nsqspring.core.config;

import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * The producer section on its own: its defaults (nsqd's limits where it mirrors them) and
 * checks.
 */
class NsqProducerConfigTests {

	@Test
	void defaults() {
		NsqProducerConfig defaults = NsqProducerConfig.defaults();
		assertThat(defaults.getStrategy()).isEqualTo(PublishStrategy.ROUND_ROBIN);
		assertThat(defaults.getMaxPendingCommands()).isEqualTo(10_000);
		assertThat(defaults.getPendingTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.getCloseTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.getMaxMessageSize()).as("nsqd --max-msg-size").isEqualTo(1024 * 1024);
		assertThat(defaults.getMaxBodySize()).as("nsqd --max-body-size").isEqualTo(5 * 1024 * 1024);
		assertThat(defaults.getMaxDeferDelay()).as("nsqd --max-req-timeout").isEqualTo(Duration.ofHours(1));
		assertThat(defaults.getMinReconnectDelay()).isEqualTo(Duration.ofMillis(100));
		assertThat(defaults.getMaxReconnectDelay()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.isCoalescePublishes()).isTrue();
		assertThat(defaults.getSyncWaitSpin()).isEqualTo(Duration.ofNanos(100_000));
		assertThat(NsqConfig.defaults().producer()).usingRecursiveComparison().isEqualTo(defaults);
	}

	@Test
	void typedValuesAreKept() {
		NsqProducerConfig config = NsqProducerConfig.builder()
			.strategy(PublishStrategy.FAILOVER)
			.maxPendingCommands(1)
			.pendingTimeout(Duration.ZERO)
			.closeTimeout(Duration.ofSeconds(30))
			.maxMessageSize(10)
			.maxBodySize(30)
			.maxDeferDelay(Duration.ofMinutes(1))
			.reconnectDelay(Duration.ofSeconds(1), Duration.ofSeconds(1))
			.coalescePublishes(false)
			.syncWaitSpin(Duration.ofMillis(10))
			.build();
		assertThat(config.getStrategy()).isEqualTo(PublishStrategy.FAILOVER);
		assertThat(config.getMaxPendingCommands()).isOne();
		assertThat(config.getPendingTimeout()).isZero();
		assertThat(config.getCloseTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.getMaxMessageSize()).isEqualTo(10);
		assertThat(config.getMaxBodySize()).isEqualTo(30);
		assertThat(config.getMaxDeferDelay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(config.getMinReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.getMaxReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.isCoalescePublishes()).isFalse();
		assertThat(config.getSyncWaitSpin()).isEqualTo(Duration.ofMillis(10));
		assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
	}

	@Test
	void invalidValuesAreNamed() {
		assertInvalid(NsqProducerConfig.builder().maxPendingCommands(0),
				"maxPendingCommands must be at least 1, was 0");
		assertInvalid(NsqProducerConfig.builder().maxMessageSize(0), "maxMessageSize must be at least 1, was 0");
		assertInvalid(NsqProducerConfig.builder().maxBodySize(-5), "maxBodySize must be at least 1, was -5");
		assertInvalid(NsqProducerConfig.builder().pendingTimeout(Duration.ofMillis(-1)),
				"pendingTimeout must not be negative, was PT-0.001S");
		assertInvalid(NsqProducerConfig.builder().closeTimeout(Duration.ofSeconds(-1)),
				"closeTimeout must not be negative");
		assertInvalid(NsqProducerConfig.builder().maxDeferDelay(Duration.ofSeconds(-1)),
				"maxDeferDelay must not be negative");
		assertInvalid(NsqProducerConfig.builder().reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)),
				"reconnectDelay max PT1S is below min PT2S");
		assertInvalid(NsqProducerConfig.builder().syncWaitSpin(Duration.ofMillis(11)),
				"syncWaitSpin must be at most 10000µs, was 11000µs");
		assertThatNullPointerException().isThrownBy(() -> NsqProducerConfig.builder().strategy(null))
			.withMessage("strategy");
	}

	@Test
	void producerOptionsAreNotGoNsqOptions() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("max_pending_commands", 5))
			.withMessageContaining("unknown option \"max_pending_commands\"");
	}

	private static void assertInvalid(NsqProducerConfig.Builder builder, String message) {
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(builder::build).withMessageContaining(message);
	}

}
