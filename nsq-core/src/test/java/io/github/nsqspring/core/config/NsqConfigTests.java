package io.github.nsqspring.core.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class NsqConfigTests {

	private static final NsqConfig DEFAULTS = NsqConfig.defaults();

	// go-nsq config.go defaults (reference §5.1); each option by name, getter, default,
	// another value given to set() and the value the getter must then return

	static Stream<Arguments> options() {
		return Stream.of(
				option("dial_timeout", (config) -> config.connection().getDialTimeout(), Duration.ofSeconds(1), "2s",
						Duration.ofSeconds(2)),
				option("read_timeout", (config) -> config.connection().getReadTimeout(), Duration.ofSeconds(60), "90s",
						Duration.ofSeconds(90)),
				option("write_timeout", (config) -> config.connection().getWriteTimeout(), Duration.ofSeconds(1), "5s",
						Duration.ofSeconds(5)),
				option("local_addr", (config) -> config.connection().getLocalAddress(), null, "127.0.0.1:0",
						new InetSocketAddress("127.0.0.1", 0)),
				option("lookupd_poll_interval", (config) -> config.lookupd().getPollInterval(), Duration.ofSeconds(60),
						"15s", Duration.ofSeconds(15)),
				option("lookupd_poll_jitter", (config) -> config.lookupd().getPollJitter(), 0.3, "0.5", 0.5),
				option("lookupd_poll_timeout", (config) -> config.lookupd().getPollTimeout(), Duration.ofMinutes(1),
						"10s", Duration.ofSeconds(10)),
				option("max_requeue_delay", (config) -> config.consumer().getMaxRequeueDelay(), Duration.ofMinutes(15),
						"20m", Duration.ofMinutes(20)),
				option("default_requeue_delay", (config) -> config.consumer().getDefaultRequeueDelay(),
						Duration.ofSeconds(90), "10s", Duration.ofSeconds(10)),
				option("backoff_strategy", (config) -> config.consumer().getBackoffStrategy(),
						BackoffStrategy.EXPONENTIAL, "full_jitter", BackoffStrategy.FULL_JITTER),
				option("max_backoff_duration", (config) -> config.consumer().getMaxBackoffDuration(),
						Duration.ofMinutes(2), "0", Duration.ZERO),
				option("backoff_multiplier", (config) -> config.consumer().getBackoffMultiplier(),
						Duration.ofSeconds(1), "500ms", Duration.ofMillis(500)),
				option("max_attempts", (config) -> config.consumer().getMaxAttempts(), 5, 0, 0),
				option("low_rdy_idle_timeout", (config) -> config.consumer().getLowRdyIdleTimeout(),
						Duration.ofSeconds(10), "20s", Duration.ofSeconds(20)),
				option("low_rdy_timeout", (config) -> config.consumer().getLowRdyTimeout(), Duration.ofSeconds(30),
						"1m", Duration.ofMinutes(1)),
				option("rdy_redistribute_interval", (config) -> config.consumer().getRdyRedistributeInterval(),
						Duration.ofSeconds(5), "100ms", Duration.ofMillis(100)),
				option("user_agent", (config) -> config.connection().getUserAgent(),
						"nsq-spring/" + NsqConfig.CLIENT_VERSION, "app/1.0", "app/1.0"),
				option("topology_region", (config) -> config.connection().getTopologyRegion(), "", "eu-west",
						"eu-west"),
				option("topology_zone", (config) -> config.connection().getTopologyZone(), "", "eu-west-1a",
						"eu-west-1a"),
				option("heartbeat_interval", (config) -> config.connection().getHeartbeatInterval(),
						Duration.ofSeconds(30), "10s", Duration.ofSeconds(10)),
				option("sample_rate", (config) -> config.connection().getSampleRate(), 0, 50, 50),
				option("tls_v1", (config) -> config.connection().isTlsV1(), false, "true", true),
				option("deflate", (config) -> config.connection().isDeflate(), false, 1, true),
				option("deflate_level", (config) -> config.connection().getDeflateLevel(), 6, "9", 9),
				option("snappy", (config) -> config.connection().isSnappy(), false, true, true),
				option("output_buffer_size", (config) -> config.connection().getOutputBufferSize(), 16384, -1, -1),
				option("output_buffer_timeout", (config) -> config.connection().getOutputBufferTimeout(),
						Duration.ofMillis(250), "-1ms", Duration.ofMillis(-1)),
				option("max_in_flight", (config) -> config.consumer().getMaxInFlight(), 1, "200", 200),
				option("msg_timeout", (config) -> config.consumer().getMsgTimeout(), Duration.ZERO, "90s",
						Duration.ofSeconds(90)),
				option("max_msg_size", (config) -> config.consumer().getMaxMsgSize(), 0, 1048576, 1048576),
				option("auth_secret", (config) -> config.connection().getAuthSecret(), null, "secret", "secret"),
				option("skip_lookupd_authorization", (config) -> config.lookupd().isAuthorization(), true, "false",
						false));
	}

	private static Arguments option(String name, Function<NsqConfig, Object> getter, Object defaultValue,
			Object setValue, Object expected) {
		return Arguments.of(name, getter, defaultValue, setValue, expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("options")
	void defaultAndSetByGoNsqName(String name, Function<NsqConfig, Object> getter, Object defaultValue, Object setValue,
			Object expected) {
		assertThat(getter.apply(DEFAULTS)).as("default of %s", name).isEqualTo(defaultValue);
		NsqConfig.Builder builder = NsqConfig.builder().set(name, setValue);
		if (name.equals("deflate")) {
			builder.connection((connection) -> connection.snappy(false));
		}
		assertThat(getter.apply(builder.build())).as("%s after set(%s)", name, setValue).isEqualTo(expected);
	}

	@Test
	void hostDefaults() {
		assertThat(DEFAULTS.connection().getHostname()).isNotBlank();
		assertThat(DEFAULTS.connection().getClientId()).isNotBlank().doesNotContain(".");
		assertThat(DEFAULTS.connection().getHostname()).startsWith(DEFAULTS.connection().getClientId());
		assertThat(NsqConfig.builder().set("client_id", "worker-1").set("hostname", "h.example").build())
			.satisfies((c) -> {
				assertThat(c.connection().getClientId()).isEqualTo("worker-1");
				assertThat(c.connection().getHostname()).isEqualTo("h.example");
			});
	}

	@Test
	void tlsDefaults() {
		assertThat(DEFAULTS.connection().getTlsConfig().isInsecureSkipVerify()).isFalse();
		assertThat(DEFAULTS.connection().getTlsConfig().isVerifyHostname()).isTrue();
		assertThat(DEFAULTS.connection().getTlsConfig().getMinVersion()).isEqualTo("TLSv1.2");
		assertThat(DEFAULTS.connection().isHeartbeatDisabled()).isFalse();
	}

	@Test
	void typedBuilderMatchesSetByName() {
		NsqConfig typed = NsqConfig.builder()
			.connection((connection) -> connection.dialTimeout(Duration.ofSeconds(2))
				.readTimeout(Duration.ofSeconds(90))
				.writeTimeout(Duration.ofSeconds(5))
				.localAddress(new InetSocketAddress("127.0.0.1", 0))
				.clientId("worker-1")
				.hostname("h.example")
				.userAgent("app/1.0")
				.topologyRegion("eu-west")
				.topologyZone("eu-west-1a")
				.heartbeatInterval(Duration.ofSeconds(10))
				.sampleRate(50)
				.tlsV1(true)
				.deflate(true)
				.deflateLevel(9)
				.snappy(false)
				.outputBufferSize(-1)
				.outputBufferTimeout(Duration.ofMillis(-1))
				.authSecret("secret"))
			.lookupd((lookupd) -> lookupd.pollInterval(Duration.ofSeconds(15))
				.pollJitter(0.5)
				.pollTimeout(Duration.ofSeconds(10))
				.authorization(false))
			.consumer((consumer) -> consumer.maxRequeueDelay(Duration.ofMinutes(20))
				.defaultRequeueDelay(Duration.ofSeconds(10))
				.backoffStrategy(BackoffStrategy.FULL_JITTER)
				.maxBackoffDuration(Duration.ZERO)
				.backoffMultiplier(Duration.ofMillis(500))
				.maxAttempts(0)
				.lowRdyIdleTimeout(Duration.ofSeconds(20))
				.lowRdyTimeout(Duration.ofMinutes(1))
				.rdyRedistributeInterval(Duration.ofMillis(100))
				.maxInFlight(200)
				.msgTimeout(Duration.ofSeconds(90))
				.maxMsgSize(1048576))
			.build();
		NsqConfig.Builder byName = NsqConfig.builder();
		options().forEach((arguments) -> {
			Object[] args = arguments.get();
			if (!args[0].equals("snappy")) {
				byName.set((String) args[0], args[3]);
			}
		});
		byName.set("client_id", "worker-1").set("hostname", "h.example");
		assertThat(byName.build()).usingRecursiveComparison().isEqualTo(typed);
	}

	// min / max boundaries (go-nsq min/max tags)

	static Stream<Arguments> durationRanges() {
		return Stream.of(Arguments.of("read_timeout", "100ms", "5m"), Arguments.of("write_timeout", "100ms", "5m"),
				Arguments.of("lookupd_poll_interval", "10ms", "5m"), Arguments.of("max_requeue_delay", "0", "60m"),
				Arguments.of("default_requeue_delay", "0", "60m"), Arguments.of("max_backoff_duration", "0", "60m"),
				Arguments.of("backoff_multiplier", "0", "60m"), Arguments.of("low_rdy_idle_timeout", "1s", "5m"),
				Arguments.of("low_rdy_timeout", "1s", "5m"), Arguments.of("rdy_redistribute_interval", "1ms", "5s"));
	}

	@ParameterizedTest(name = "{0} {1}..{2}")
	@MethodSource("durationRanges")
	void durationBoundaries(String option, String min, String max) {
		Duration minimum = GoDurations.coerce(option, min);
		Duration maximum = GoDurations.coerce(option, max);
		// heartbeat must stay <= read_timeout while read_timeout is probed
		Function<Duration, NsqConfig.Builder> with = (value) -> NsqConfig.builder()
			.connection((connection) -> connection.heartbeatInterval(Duration.ofSeconds(-1)))
			.set(option, value);
		assertThat(with.apply(minimum).build()).isNotNull();
		assertThat(with.apply(maximum).build()).isNotNull();
		for (Duration outside : new Duration[] { minimum.minusNanos(1), maximum.plusNanos(1) }) {
			assertThatExceptionOfType(NsqConfigException.class).as("%s = %s", option, outside)
				.isThrownBy(() -> with.apply(outside).build())
				.withMessageContaining(option)
				.withMessageContaining(GoDurations.format(outside))
				.withMessageContaining(GoDurations.format(minimum) + " to " + GoDurations.format(maximum));
		}
	}

	static Stream<Arguments> integerRanges() {
		return Stream.of(Arguments.of("max_attempts", 0, 65535), Arguments.of("sample_rate", 0, 99),
				Arguments.of("deflate_level", 1, 9), Arguments.of("max_in_flight", 0, Integer.MAX_VALUE),
				Arguments.of("max_msg_size", 0, Integer.MAX_VALUE));
	}

	@ParameterizedTest(name = "{0} {1}..{2}")
	@MethodSource("integerRanges")
	void integerBoundaries(String option, int min, int max) {
		assertThat(NsqConfig.builder().set(option, min).build()).isNotNull();
		assertThat(NsqConfig.builder().set(option, max).build()).isNotNull();
		assertOutside(option, min - 1, min + " to " + max);
		if (max < Integer.MAX_VALUE) {
			assertOutside(option, max + 1, min + " to " + max);
		}
	}

	private static void assertOutside(String option, Object value, String allowed) {
		// durations are shown the way Go prints them (999ms), as users write them
		String shown = (value instanceof String text) ? GoDurations.format(GoDurations.coerce(option, text))
				: String.valueOf(value);
		assertThatExceptionOfType(NsqConfigException.class).as("%s = %s", option, value)
			.isThrownBy(() -> NsqConfig.builder().set(option, value).build())
			.withMessageContaining("invalid value for " + option + ": " + shown + " (allowed: " + allowed + ")");
	}

	@Test
	void lookupdPollJitterBoundaries() {
		assertThat(NsqConfig.builder().set("lookupd_poll_jitter", 0).build().lookupd().getPollJitter()).isZero();
		assertThat(NsqConfig.builder().set("lookupd_poll_jitter", 1).build().lookupd().getPollJitter()).isOne();
		assertOutside("lookupd_poll_jitter", -0.01, "0 to 1");
		assertOutside("lookupd_poll_jitter", 1.01, "0 to 1");
		assertOutside("lookupd_poll_jitter", Double.NaN, "0 to 1");
	}

	@Test
	void timeoutsMustBePositive() {
		assertThat(NsqConfig.builder().set("dial_timeout", "1ns").build().connection().getDialTimeout())
			.isEqualTo(Duration.ofNanos(1));
		assertOutside("dial_timeout", "0", "more than 0");
		assertOutside("lookupd_poll_timeout", "-1s", "more than 0");
	}

	@Test
	void outputBufferSize() {
		for (int valid : new int[] { -1, 0, 64, 65536 }) {
			assertThat(NsqConfig.builder().set("output_buffer_size", valid).build().connection().getOutputBufferSize())
				.isEqualTo(valid);
		}
		for (int invalid : new int[] { -2, 1, 63 }) {
			assertOutside("output_buffer_size", invalid, "-1 (disabled), 0 (nsqd default) or 64 and more");
		}
	}

	@Test
	void msgTimeout() {
		assertThat(NsqConfig.builder().set("msg_timeout", 0).build().consumer().getMsgTimeout()).isZero();
		assertThat(NsqConfig.builder().set("msg_timeout", "1s").build().consumer().getMsgTimeout())
			.isEqualTo(Duration.ofSeconds(1));
		assertOutside("msg_timeout", "999ms", "0 (nsqd default) or 1s and more");
		assertOutside("msg_timeout", "-1s", "0 (nsqd default) or 1s and more");
	}

	// heartbeat_interval <= read_timeout (go-nsq Validate) and negative = disabled

	@Test
	void heartbeatMayEqualButNotExceedReadTimeout() {
		assertThat(NsqConfig.builder()
			.set("read_timeout", "10s")
			.set("heartbeat_interval", "10s")
			.build()
			.connection()
			.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(
					() -> NsqConfig.builder().set("read_timeout", "10s").set("heartbeat_interval", "10001ms").build())
			.withMessageContaining("heartbeat_interval")
			.withMessageContaining("10.001s")
			.withMessageContaining("read_timeout (10s)");
		// the default heartbeat (30s) against a shorter read_timeout
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("read_timeout", "20s").build())
			.withMessageContaining("heartbeat_interval");
	}

	@Test
	void heartbeatBelowOneSecondIsRejectedBecauseNsqdWould() {
		assertThat(NsqConfig.builder().set("heartbeat_interval", "1s").build().connection().getHeartbeatInterval())
			.isEqualTo(Duration.ofSeconds(1));
		assertThat(NsqConfig.builder().set("heartbeat_interval", "0").build().connection().getHeartbeatInterval())
			.as("0 lets nsqd choose, as in go-nsq")
			.isZero();
		for (String value : new String[] { "999ms", "1ns" }) {
			assertThatExceptionOfType(NsqConfigException.class)
				.isThrownBy(() -> NsqConfig.builder().set("heartbeat_interval", value).build())
				.withMessageContaining("heartbeat_interval")
				.withMessageContaining("1s to read_timeout")
				.withMessageContaining("negative to disable");
		}
	}

	@Test
	void negativeHeartbeatDisablesHeartbeats() {
		for (Object value : new Object[] { "-1ns", "-1ms", -1, "-1", Duration.ofSeconds(-30) }) {
			NsqConfig config = NsqConfig.builder().set("read_timeout", "1s").set("heartbeat_interval", value).build();
			assertThat(config.connection().isHeartbeatDisabled()).as("heartbeat %s", value).isTrue();
			assertThat(config.connection().getHeartbeatInterval()).isNegative();
		}
	}

	@Test
	void snappyAndDeflateExcludeEachOther() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("snappy", true).set("deflate", true).build())
			.withMessageContaining("snappy")
			.withMessageContaining("deflate");
	}

	// set() coercions

	@Test
	void goDurationStrings() {
		assertThat(durationOf("1500ms")).isEqualTo(Duration.ofMillis(1500));
		assertThat(durationOf("1m30s")).isEqualTo(Duration.ofSeconds(90));
		assertThat(durationOf("1h2m3s4ms5us6ns")).isEqualTo(Duration.ofSeconds(3723).plusNanos(4_005_006));
		assertThat(durationOf("1.5s")).isEqualTo(Duration.ofMillis(1500));
		assertThat(durationOf(".5s")).isEqualTo(Duration.ofMillis(500));
		assertThat(durationOf("2µs")).isEqualTo(Duration.ofNanos(2000));
		assertThat(durationOf("2μs")).isEqualTo(Duration.ofNanos(2000));
		assertThat(durationOf("-1ns")).isEqualTo(Duration.ofNanos(-1));
		assertThat(durationOf("-1.5h")).isEqualTo(Duration.ofMinutes(-90));
		assertThat(durationOf("+5s")).isEqualTo(Duration.ofSeconds(5));
		assertThat(durationOf("0")).isZero();
		assertThat(durationOf(" 250ms ")).isEqualTo(Duration.ofMillis(250));
		// like Go, fractions of a nanosecond are dropped
		assertThat(durationOf("1.5ns")).isEqualTo(Duration.ofNanos(1));
		assertThat(durationOf("0.9ns")).isZero();
	}

	@Test
	void integersAreMilliseconds() {
		assertThat(durationOf(1500)).isEqualTo(Duration.ofMillis(1500));
		assertThat(durationOf(1500L)).isEqualTo(Duration.ofMillis(1500));
		assertThat(durationOf((short) 15)).isEqualTo(Duration.ofMillis(15));
		assertThat(durationOf("1500")).isEqualTo(Duration.ofMillis(1500));
		assertThat(durationOf("-1")).isEqualTo(Duration.ofMillis(-1));
	}

	@Test
	void isoAndDurationObjects() {
		assertThat(durationOf("PT1S")).isEqualTo(Duration.ofSeconds(1));
		assertThat(durationOf("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
		assertThat(durationOf("-PT1S")).isEqualTo(Duration.ofSeconds(-1));
		assertThat(durationOf(Duration.ofMillis(7))).isEqualTo(Duration.ofMillis(7));
	}

	@Test
	void invalidDurations() {
		for (Object value : new Object[] { "", " ", "abc", "1", "10", "1d", "1 s", "s", "1s5", "1h-5m", ".s", "--1s",
				"PTx", "1e3s", "99999999999999h", 1.5, true }) {
			if (value.equals("1") || value.equals("10")) {
				continue; // integers in strings are milliseconds
			}
			assertThatExceptionOfType(NsqConfigException.class).as("%s", value)
				.isThrownBy(() -> NsqConfig.builder().set("msg_timeout", value))
				.withMessageContaining("msg_timeout")
				.withMessageContaining("\"" + value + "\"")
				.withMessageContaining("is not a duration");
		}
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("msg_timeout", null))
			.withMessageContaining("msg_timeout");
	}

	private static Duration durationOf(Object value) {
		// output_buffer_timeout accepts any duration
		return NsqConfig.builder().set("output_buffer_timeout", value).build().connection().getOutputBufferTimeout();
	}

	@Test
	void booleans() {
		for (Object yes : new Object[] { "true", "TRUE", " True ", "1", 1, true, Boolean.TRUE }) {
			assertThat(NsqConfig.builder().set("tls_v1", yes).build().connection().isTlsV1()).as("%s", yes).isTrue();
		}
		for (Object no : new Object[] { "false", "FALSE", "0", 0, false }) {
			assertThat(NsqConfig.builder().set("tls_v1", true).set("tls_v1", no).build().connection().isTlsV1())
				.as("%s", no)
				.isFalse();
		}
		for (Object invalid : new Object[] { "yes", "no", "2", 2, "", "t", null }) {
			assertThatExceptionOfType(NsqConfigException.class).as("%s", invalid)
				.isThrownBy(() -> NsqConfig.builder().set("tls_v1", invalid))
				.withMessageContaining("tls_v1")
				.withMessageContaining("\"" + invalid + "\"")
				.withMessageContaining("not a boolean");
		}
	}

	@Test
	void numbers() {
		assertThat(NsqConfig.builder().set("max_in_flight", "200").build().consumer().getMaxInFlight()).isEqualTo(200);
		assertThat(NsqConfig.builder().set("max_in_flight", " 7 ").build().consumer().getMaxInFlight()).isEqualTo(7);
		assertThat(NsqConfig.builder().set("max_in_flight", 9L).build().consumer().getMaxInFlight()).isEqualTo(9);
		assertThat(NsqConfig.builder().set("max_in_flight", (short) 3).build().consumer().getMaxInFlight())
			.isEqualTo(3);
		assertThat(NsqConfig.builder().set("lookupd_poll_jitter", 0.25f).build().lookupd().getPollJitter())
			.isEqualTo(0.25);
		assertThat(NsqConfig.builder().set("lookupd_poll_jitter", " 0.75 ").build().lookupd().getPollJitter())
			.isEqualTo(0.75);
		for (Object invalid : new Object[] { "abc", "2.5", 2.5, 1L << 40, "", true }) {
			assertThatExceptionOfType(NsqConfigException.class).as("%s", invalid)
				.isThrownBy(() -> NsqConfig.builder().set("max_in_flight", invalid))
				.withMessageContaining("max_in_flight")
				.withMessageContaining("not an integer");
		}
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("lookupd_poll_jitter", "lots"))
			.withMessageContaining("lookupd_poll_jitter")
			.withMessageContaining("not a number");
	}

	@Test
	void localAddress() {
		assertThat(NsqConfig.builder().set("local_addr", "127.0.0.1:4000").build().connection().getLocalAddress())
			.isEqualTo(new InetSocketAddress("127.0.0.1", 4000));
		assertThat(NsqConfig.builder().set("local_addr", "[::1]:5000").build().connection().getLocalAddress().getPort())
			.isEqualTo(5000);
		assertThat(NsqConfig.builder().set("local_addr", "127.0.0.1").build().connection().getLocalAddress().getPort())
			.isZero();
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1);
		assertThat(NsqConfig.builder().set("local_addr", address).build().connection().getLocalAddress())
			.isSameAs(address);
		for (String invalid : new String[] { "127.0.0.1:port", "127.0.0.1:70000" }) {
			assertThatExceptionOfType(NsqConfigException.class)
				.isThrownBy(() -> NsqConfig.builder().set("local_addr", invalid))
				.withMessageContaining("local_addr")
				.withMessageContaining(invalid);
		}
	}

	@Test
	void backoffStrategyByNameOrObject() {
		BackoffStrategy custom = (multiplier, level) -> multiplier;
		assertThat(NsqConfig.builder().set("backoff_strategy", custom).build().consumer().getBackoffStrategy())
			.isSameAs(custom);
		assertThat(NsqConfig.builder().set("backoff_strategy", "exponential").build().consumer().getBackoffStrategy())
			.isSameAs(BackoffStrategy.EXPONENTIAL);
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("backoff_strategy", "linear"))
			.withMessageContaining("\"linear\"")
			.withMessageContaining("exponential or full_jitter");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().consumer((consumer) -> consumer.backoffStrategy(null)).build())
			.withMessageContaining("backoff_strategy");
	}

	@Test
	void tlsOptionsByName() {
		NsqConfig config = NsqConfig.builder()
			.set("tls_v1", true)
			.set("tls_insecure_skip_verify", "true")
			.set("tls_min_version", "tls1.3")
			.build();
		assertThat(config.connection().getTlsConfig().isInsecureSkipVerify()).isTrue();
		assertThat(config.connection().getTlsConfig().isVerifyHostname()).isFalse();
		assertThat(config.connection().getTlsConfig().getMinVersion()).isEqualTo("TLSv1.3");

		assertThat(NsqConfig.builder()
			.set("tls_root_ca_file", "/etc/ca.pem")
			.build()
			.connection()
			.getTlsConfig()
			.toString()).contains("rootCaFile=" + Path.of("/etc/ca.pem"));
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("tls_cert", "/etc/client.pem").build())
			.withMessageContaining("tls_cert and tls_key must be set together");
		assertThat(NsqConfig.builder()
			.set("tls_cert", "/c.pem")
			.set("tls_key", "/k.pem")
			.build()
			.connection()
			.getTlsConfig()
			.toString()).contains("certFile=" + Path.of("/c.pem")).contains("keyFile=" + Path.of("/k.pem"));
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("tls_min_version", "ssl3.0"))
			.withMessageContaining("tls_min_version")
			.withMessageContaining("ssl3.0");
	}

	@Test
	void unknownOptionIsNamed() {
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(() -> NsqConfig.builder().set("max_inflight", 5))
			.withMessageContaining("unknown option \"max_inflight\"");
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(() -> NsqConfig.builder().set("tls_config", 5))
			.withMessageContaining("tls_config");
		assertThatNullPointerException().isThrownBy(() -> NsqConfig.builder().set(null, 5));
	}

	@Test
	void requiredValues() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().connection((connection) -> connection.readTimeout(null)).build())
			.withMessageContaining("read_timeout")
			.withMessageContaining("null");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().set("user_agent", null))
			.withMessageContaining("user_agent");
	}

	// toString never shows secrets

	@Test
	void toStringHidesTheAuthSecret() {
		NsqConfig config = NsqConfig.builder()
			.connection((connection) -> connection.authSecret("top-secret-token")
				.tlsConfig(NsqTlsConfig.builder()
					.keyStore(Path.of("/keys/client.p12"), "PKCS12", "store-pass".toCharArray(),
							"key-pass".toCharArray())
					.trustStore(Path.of("/keys/trust.p12"), "PKCS12", "trust-pass".toCharArray())
					.build()))
			.build();
		assertThat(config.toString()).doesNotContain("top-secret-token")
			.doesNotContain("store-pass")
			.doesNotContain("key-pass")
			.doesNotContain("trust-pass")
			.contains("auth_secret=******")
			.contains("client.p12")
			.contains("max_in_flight=1");
		assertThat(config.connection().getAuthSecret()).isEqualTo("top-secret-token");
		assertThat(DEFAULTS.toString()).contains("auth_secret=,");
	}

	// sections

	@Test
	void setRoutesEachGoNsqNameToItsSectionAndLeavesTheOthers() {
		NsqConfig config = NsqConfig.builder()
			.set("read_timeout", "10s")
			.set("heartbeat_interval", "5s")
			.set("auth_secret", "s")
			.set("lookupd_poll_interval", "15s")
			.set("skip_lookupd_authorization", false)
			.set("max_in_flight", 200)
			.set("msg_timeout", "90s")
			.build();
		assertThat(config.connection()).usingRecursiveComparison()
			.isEqualTo(NsqConnectionConfig.builder()
				.readTimeout(Duration.ofSeconds(10))
				.heartbeatInterval(Duration.ofSeconds(5))
				.authSecret("s")
				.build());
		assertThat(config.lookupd()).usingRecursiveComparison()
			.isEqualTo(NsqLookupdConfig.builder().pollInterval(Duration.ofSeconds(15)).authorization(false).build());
		assertThat(config.consumer()).usingRecursiveComparison()
			.isEqualTo(NsqConsumerConfig.builder().maxInFlight(200).msgTimeout(Duration.ofSeconds(90)).build());
		assertThat(config.producer()).usingRecursiveComparison().isEqualTo(NsqProducerConfig.defaults());
	}

	@Test
	void aSectionIsReplacedWholeOrChangedInPlace() {
		NsqConsumerConfig given = NsqConsumerConfig.builder().maxInFlight(50).build();
		NsqConfig config = NsqConfig.builder()
			.set("msg_timeout", "90s")
			.consumer(given)
			.consumer((consumer) -> consumer.maxAttempts(3))
			.build();
		assertThat(config.consumer().getMaxInFlight()).isEqualTo(50);
		assertThat(config.consumer().getMsgTimeout()).as("replaced by the section given").isZero();
		assertThat(config.consumer().getMaxAttempts()).isEqualTo(3);
		assertThat(given.getMaxAttempts()).as("the section given is not changed").isEqualTo(5);
	}

	@Test
	void anInvalidSectionFailsTheBuildNamingItsOption() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().lookupd((lookupd) -> lookupd.pollJitter(2)).build())
			.withMessageContaining("invalid value for lookupd_poll_jitter: 2.0 (allowed: 0 to 1)");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConfig.builder().producer((producer) -> producer.maxPendingCommands(0)).build())
			.withMessageContaining("maxPendingCommands must be at least 1, was 0");
	}

	@Test
	void toStringShowsEverySection() {
		assertThat(DEFAULTS.toString()).startsWith("NsqConfig[connection=NsqConnectionConfig[")
			.contains(", lookupd=NsqLookupdConfig[", ", consumer=NsqConsumerConfig[", ", producer=NsqProducerConfig[");
	}

	// toBuilder

	@Test
	void toBuilderRoundTrip() {
		NsqConfig.Builder builder = NsqConfig.builder();
		options().forEach((arguments) -> {
			Object[] args = arguments.get();
			if (!args[0].equals("snappy")) {
				builder.set((String) args[0], args[3]);
			}
		});
		NsqConfig original = builder.set("tls_insecure_skip_verify", true).set("client_id", "c").build();
		NsqConfig copy = original.toBuilder().build();
		assertThat(copy).isNotSameAs(original).usingRecursiveComparison().isEqualTo(original);
		assertThat(copy.toString()).isEqualTo(original.toString());
		assertThat(DEFAULTS.toBuilder().build()).usingRecursiveComparison().isEqualTo(DEFAULTS);
	}

	@Test
	void toBuilderDoesNotChangeTheOriginal() {
		NsqConfig original = NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build();
		NsqConfig changed = original.toBuilder()
			.consumer((consumer) -> consumer.maxInFlight(20))
			.set("tls_insecure_skip_verify", true)
			.build();
		assertThat(original.consumer().getMaxInFlight()).isEqualTo(10);
		assertThat(original.connection().getTlsConfig().isInsecureSkipVerify()).isFalse();
		assertThat(changed.consumer().getMaxInFlight()).isEqualTo(20);
		assertThat(changed.connection().getTlsConfig().isInsecureSkipVerify()).isTrue();
	}

}
