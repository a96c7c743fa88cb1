package io.github.nsqspring.core.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The connection section on its own: go-nsq's defaults, its checks (with messages that
 * name the option and the value) and the rules between its options.
 */
class NsqConnectionConfigTests {

	@Test
	void defaultsAreGoNsqs() {
		NsqConnectionConfig defaults = NsqConnectionConfig.defaults();
		assertThat(defaults.getDialTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(defaults.getReadTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(defaults.getWriteTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(defaults.getLocalAddress()).isNull();
		assertThat(defaults.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.isHeartbeatDisabled()).isFalse();
		assertThat(defaults.getHostname()).isNotBlank().startsWith(defaults.getClientId());
		assertThat(defaults.getClientId()).isNotBlank().doesNotContain(".");
		assertThat(defaults.getUserAgent()).isEqualTo("nsq-spring/" + NsqConfig.CLIENT_VERSION)
			.isEqualTo(NsqConnectionConfig.DEFAULT_USER_AGENT);
		assertThat(defaults.getTopologyRegion()).isEmpty();
		assertThat(defaults.getTopologyZone()).isEmpty();
		assertThat(defaults.getOutputBufferSize()).isEqualTo(16384);
		assertThat(defaults.getOutputBufferTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(defaults.getSampleRate()).isZero();
		assertThat(defaults.isSnappy()).isFalse();
		assertThat(defaults.isDeflate()).isFalse();
		assertThat(defaults.getDeflateLevel()).isEqualTo(6);
		assertThat(defaults.isTlsV1()).isFalse();
		assertThat(defaults.getTlsConfig()).isSameAs(NsqTlsConfig.DEFAULT);
		assertThat(defaults.getAuthSecret()).isNull();
	}

	@Test
	void theSectionOfADefaultConfigIsTheDefaultSection() {
		assertThat(NsqConfig.defaults().connection()).usingRecursiveComparison()
			.isEqualTo(NsqConnectionConfig.defaults());
	}

	@Test
	void typedValuesAreKept() {
		InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
		NsqConnectionConfig config = NsqConnectionConfig.builder()
			.dialTimeout(Duration.ofSeconds(3))
			.readTimeout(Duration.ofSeconds(20))
			.writeTimeout(Duration.ofSeconds(2))
			.localAddress(local)
			.heartbeatInterval(Duration.ofSeconds(20))
			.clientId("worker-1")
			.hostname("worker-1.example")
			.userAgent("shop/2")
			.topologyRegion("eu-west")
			.topologyZone("eu-west-1a")
			.outputBufferSize(64)
			.outputBufferTimeout(Duration.ofMillis(-1))
			.sampleRate(99)
			.deflate(true)
			.deflateLevel(1)
			.tlsV1(true)
			.authSecret("secret")
			.build();
		assertThat(config.getDialTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(config.getReadTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(config.getWriteTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.getLocalAddress()).isSameAs(local);
		assertThat(config.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
		assertThat(config.getClientId()).isEqualTo("worker-1");
		assertThat(config.getHostname()).isEqualTo("worker-1.example");
		assertThat(config.getUserAgent()).isEqualTo("shop/2");
		assertThat(config.getTopologyRegion()).isEqualTo("eu-west");
		assertThat(config.getTopologyZone()).isEqualTo("eu-west-1a");
		assertThat(config.getOutputBufferSize()).isEqualTo(64);
		assertThat(config.getOutputBufferTimeout()).isNegative();
		assertThat(config.getSampleRate()).isEqualTo(99);
		assertThat(config.isDeflate()).isTrue();
		assertThat(config.getDeflateLevel()).isEqualTo(1);
		assertThat(config.isTlsV1()).isTrue();
		assertThat(config.getAuthSecret()).isEqualTo("secret");
	}

	@Test
	void invalidValuesAreNamedWithTheirRange() {
		assertInvalid(NsqConnectionConfig.builder().dialTimeout(Duration.ZERO),
				"invalid value for dial_timeout: 0s (allowed: more than 0)");
		assertInvalid(NsqConnectionConfig.builder().readTimeout(Duration.ofMillis(99)),
				"invalid value for read_timeout: 99ms (allowed: 100ms to 5m0s)");
		assertInvalid(NsqConnectionConfig.builder().writeTimeout(Duration.ofMinutes(6)),
				"invalid value for write_timeout: 6m0s (allowed: 100ms to 5m0s)");
		assertInvalid(NsqConnectionConfig.builder().sampleRate(100),
				"invalid value for sample_rate: 100 (allowed: 0 to 99)");
		assertInvalid(NsqConnectionConfig.builder().deflateLevel(0),
				"invalid value for deflate_level: 0 (allowed: 1 to 9)");
		assertInvalid(NsqConnectionConfig.builder().outputBufferSize(63),
				"invalid value for output_buffer_size: 63 (allowed: -1 (disabled), 0 (nsqd default) or 64 and more)");
		assertInvalid(NsqConnectionConfig.builder().userAgent(null),
				"invalid value for user_agent: null (a value is required)");
		assertInvalid(NsqConnectionConfig.builder().outputBufferTimeout(null),
				"invalid value for output_buffer_timeout: null (a value is required)");
	}

	@Test
	void heartbeatMustFitInTheReadTimeoutOfTheSameSection() {
		assertThat(NsqConnectionConfig.builder()
			.readTimeout(Duration.ofSeconds(10))
			.heartbeatInterval(Duration.ofSeconds(10))
			.build()
			.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
		assertInvalid(
				NsqConnectionConfig.builder()
					.readTimeout(Duration.ofSeconds(10))
					.heartbeatInterval(Duration.ofSeconds(11)),
				"invalid value for heartbeat_interval: 11s (allowed: 1s to read_timeout (10s), 0 for nsqd's default, "
						+ "or negative to disable)");
		assertThat(NsqConnectionConfig.builder()
			.readTimeout(Duration.ofSeconds(1))
			.heartbeatInterval(Duration.ofMillis(-1))
			.build()
			.isHeartbeatDisabled()).isTrue();
	}

	@Test
	void snappyAndDeflateExcludeEachOther() {
		assertInvalid(NsqConnectionConfig.builder().snappy(true).deflate(true),
				"snappy and deflate cannot both be enabled");
	}

	@Test
	void goNsqNamesOfTheSectionAreSetAndOthersAreLeft() {
		NsqConnectionConfig.Builder builder = NsqConnectionConfig.builder();
		assertThat(builder.setOption("heartbeat_interval", "10s")).isTrue();
		assertThat(builder.setOption("tls_insecure_skip_verify", "true")).isTrue();
		assertThat(builder.setOption("max_in_flight", 5)).isFalse();
		assertThat(builder.setOption("lookupd_poll_interval", "5s")).isFalse();
		NsqConnectionConfig config = builder.build();
		assertThat(config.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.getTlsConfig().isInsecureSkipVerify()).isTrue();
	}

	@Test
	void toBuilderCopiesAndLeavesTheOriginal() {
		NsqConnectionConfig original = NsqConnectionConfig.builder()
			.clientId("a")
			.tlsConfig(NsqTlsConfig.builder().rootCaFile(Path.of("/etc/ca.pem")).build())
			.build();
		NsqConnectionConfig copy = original.toBuilder().build();
		assertThat(copy).isNotSameAs(original).usingRecursiveComparison().isEqualTo(original);
		NsqConnectionConfig changed = original.toBuilder().clientId("b").build();
		assertThat(original.getClientId()).isEqualTo("a");
		assertThat(changed.getClientId()).isEqualTo("b");
		assertThat(changed.getTlsConfig().toString()).contains("rootCaFile=" + Path.of("/etc/ca.pem"));
	}

	@Test
	void toStringNamesTheOptionsAndHidesTheSecrets() {
		NsqConnectionConfig config = NsqConnectionConfig.builder()
			.authSecret("top-secret-token")
			.tlsConfig(NsqTlsConfig.builder()
				.keyStore(Path.of("/keys/client.p12"), "PKCS12", "store-pass".toCharArray(), "key-pass".toCharArray())
				.build())
			.build();
		assertThat(config.toString()).startsWith("NsqConnectionConfig[")
			.contains("dial_timeout=1s", "read_timeout=1m0s", "heartbeat_interval=30s", "auth_secret=******")
			.doesNotContain("top-secret-token", "store-pass", "key-pass");
	}

	private static void assertInvalid(NsqConnectionConfig.Builder builder, String message) {
		assertThatExceptionOfType(NsqConfigException.class).isThrownBy(builder::build).withMessageContaining(message);
	}

}
