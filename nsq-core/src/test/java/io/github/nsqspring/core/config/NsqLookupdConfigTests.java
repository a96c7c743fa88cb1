package io.github.nsqspring.core.config;

import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The nsqlookupd section on its own: go-nsq's defaults and checks.
 */
class NsqLookupdConfigTests {

	@Test
	void defaultsAreGoNsqs() {
		NsqLookupdConfig defaults = NsqLookupdConfig.defaults();
		assertThat(defaults.getPollInterval()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.getPollJitter()).isEqualTo(0.3);
		assertThat(defaults.getPollTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.isAuthorization()).as("skip_lookupd_authorization defaults to true").isTrue();
		assertThat(NsqConfig.defaults().lookupd()).usingRecursiveComparison().isEqualTo(defaults);
	}

	@Test
	void typedValuesAreKept() {
		NsqLookupdConfig config = NsqLookupdConfig.builder()
			.pollInterval(Duration.ofMillis(10))
			.pollJitter(1)
			.pollTimeout(Duration.ofSeconds(2))
			.authorization(false)
			.build();
		assertThat(config.getPollInterval()).isEqualTo(Duration.ofMillis(10));
		assertThat(config.getPollJitter()).isOne();
		assertThat(config.getPollTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.isAuthorization()).isFalse();
		assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
	}

	@Test
	void invalidValuesAreNamedWithTheirRange() {
		assertInvalid(NsqLookupdConfig.builder().pollInterval(Duration.ofMillis(9)),
				"invalid value for lookupd_poll_interval: 9ms (allowed: 10ms to 5m0s)");
		assertInvalid(NsqLookupdConfig.builder().pollInterval(null),
				"invalid value for lookupd_poll_interval: null (a value is required)");
		assertInvalid(NsqLookupdConfig.builder().pollJitter(1.5),
				"invalid value for lookupd_poll_jitter: 1.5 (allowed: 0 to 1)");
		assertInvalid(NsqLookupdConfig.builder().pollTimeout(Duration.ZERO),
				"invalid value for lookupd_poll_timeout: 0s (allowed: more than 0)");
	}

	@Test
	void goNsqNamesOfTheSectionAreSetAndOthersAreLeft() {
		NsqLookupdConfig.Builder builder = NsqLookupdConfig.builder();
		assertThat(builder.setOption("lookupd_poll_interval", "15s")).isTrue();
		assertThat(builder.setOption("skip_lookupd_authorization", "false")).isTrue();
		assertThat(builder.setOption("auth_secret", "secret")).as("the secret is a connection option").isFalse();
		NsqLookupdConfig config = builder.build();
		assertThat(config.getPollInterval()).isEqualTo(Duration.ofSeconds(15));
		assertThat(config.isAuthorization()).isFalse();
	}

	@Test
	void toStringUsesGoNsqNames() {
		assertThat(NsqLookupdConfig.defaults()).hasToString("NsqLookupdConfig[lookupd_poll_interval=1m0s, "
				+ "lookupd_poll_jitter=0.3, lookupd_poll_timeout=1m0s, skip_lookupd_authorization=true]");
	}

	private static void assertInvalid(NsqLookupdConfig.Builder builder, String message) {
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(builder::build).withMessageContaining(message);
	}

}
