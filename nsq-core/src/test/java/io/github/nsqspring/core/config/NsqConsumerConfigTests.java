package io.github.nsqspring.core.config;

import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The consumer section on its own: go-nsq's defaults and checks.
 */
class NsqConsumerConfigTests {

	@Test
	void defaultsAreGoNsqs() {
		NsqConsumerConfig defaults = NsqConsumerConfig.defaults();
		assertThat(defaults.getMaxInFlight()).isOne();
		assertThat(defaults.getMaxAttempts()).isEqualTo(5);
		assertThat(defaults.getDefaultRequeueDelay()).isEqualTo(Duration.ofSeconds(90));
		assertThat(defaults.getMaxRequeueDelay()).isEqualTo(Duration.ofMinutes(15));
		assertThat(defaults.getBackoffStrategy()).isSameAs(BackoffStrategy.EXPONENTIAL);
		assertThat(defaults.getBackoffMultiplier()).isEqualTo(Duration.ofSeconds(1));
		assertThat(defaults.getMaxBackoffDuration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(defaults.getLowRdyIdleTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(defaults.getLowRdyTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.getRdyRedistributeInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.getMsgTimeout()).as("nsqd's default").isZero();
		assertThat(defaults.getMaxMsgSize()).as("no limit").isZero();
		assertThat(NsqConfig.defaults().consumer()).usingRecursiveComparison().isEqualTo(defaults);
	}

	@Test
	void typedValuesAreKept() {
		NsqConsumerConfig config = NsqConsumerConfig.builder()
			.maxInFlight(200)
			.maxAttempts(0)
			.defaultRequeueDelay(Duration.ZERO)
			.maxRequeueDelay(Duration.ofMinutes(60))
			.backoffStrategy(BackoffStrategy.FULL_JITTER)
			.backoffMultiplier(Duration.ofMillis(10))
			.maxBackoffDuration(Duration.ZERO)
			.lowRdyIdleTimeout(Duration.ofSeconds(1))
			.lowRdyTimeout(Duration.ofMinutes(5))
			.rdyRedistributeInterval(Duration.ofMillis(1))
			.msgTimeout(Duration.ofSeconds(1))
			.maxMsgSize(1024)
			.build();
		assertThat(config.getMaxInFlight()).isEqualTo(200);
		assertThat(config.getMaxAttempts()).isZero();
		assertThat(config.getDefaultRequeueDelay()).isZero();
		assertThat(config.getMaxRequeueDelay()).isEqualTo(Duration.ofMinutes(60));
		assertThat(config.getBackoffStrategy()).isSameAs(BackoffStrategy.FULL_JITTER);
		assertThat(config.getBackoffMultiplier()).isEqualTo(Duration.ofMillis(10));
		assertThat(config.getMaxBackoffDuration()).isZero();
		assertThat(config.getLowRdyIdleTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.getLowRdyTimeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(config.getRdyRedistributeInterval()).isEqualTo(Duration.ofMillis(1));
		assertThat(config.getMsgTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.getMaxMsgSize()).isEqualTo(1024);
		NsqConsumerConfig changed = config.toBuilder().maxInFlight(5).build();
		assertThat(changed.getMaxInFlight()).isEqualTo(5);
		assertThat(changed.getMsgTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.getMaxInFlight()).isEqualTo(200);
	}

	@Test
	void invalidValuesAreNamedWithTheirRange() {
		assertInvalid(NsqConsumerConfig.builder().maxInFlight(-1),
				"invalid value for max_in_flight: -1 (allowed: 0 to 2147483647)");
		assertInvalid(NsqConsumerConfig.builder().maxAttempts(65536),
				"invalid value for max_attempts: 65536 (allowed: 0 to 65535)");
		assertInvalid(NsqConsumerConfig.builder().maxRequeueDelay(Duration.ofMinutes(61)),
				"invalid value for max_requeue_delay: 1h1m0s (allowed: 0s to 1h0m0s)");
		assertInvalid(NsqConsumerConfig.builder().backoffStrategy(null),
				"invalid value for backoff_strategy: null (a value is required)");
		assertInvalid(NsqConsumerConfig.builder().rdyRedistributeInterval(Duration.ofMillis(5001)),
				"invalid value for rdy_redistribute_interval: 5.001s (allowed: 1ms to 5s)");
		assertInvalid(NsqConsumerConfig.builder().msgTimeout(Duration.ofMillis(999)),
				"invalid value for msg_timeout: 999ms (allowed: 0 (nsqd default) or 1s and more)");
		assertInvalid(NsqConsumerConfig.builder().maxMsgSize(-1),
				"invalid value for max_msg_size: -1 (allowed: 0 to 2147483647)");
	}

	@Test
	void goNsqNamesOfTheSectionAreSetAndOthersAreLeft() {
		NsqConsumerConfig.Builder builder = NsqConsumerConfig.builder();
		assertThat(builder.setOption("max_in_flight", "200")).isTrue();
		assertThat(builder.setOption("backoff_strategy", "full_jitter")).isTrue();
		assertThat(builder.setOption("msg_timeout", "90s")).isTrue();
		assertThat(builder.setOption("read_timeout", "10s")).isFalse();
		NsqConsumerConfig config = builder.build();
		assertThat(config.getMaxInFlight()).isEqualTo(200);
		assertThat(config.getBackoffStrategy()).isSameAs(BackoffStrategy.FULL_JITTER);
		assertThat(config.getMsgTimeout()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void toStringUsesGoNsqNames() {
		assertThat(NsqConsumerConfig.defaults().toString()).startsWith("NsqConsumerConfig[max_in_flight=1, ")
			.contains("backoff_strategy=exponential", "msg_timeout=0s", "max_msg_size=0");
	}

	private static void assertInvalid(NsqConsumerConfig.Builder builder, String message) {
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(builder::build).withMessageContaining(message);
	}

}
