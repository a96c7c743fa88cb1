package io.github.nsqspring.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import io.github.nsqspring.core.NsqConfigException;

/**
 * Every go-nsq 1.1 configuration option, with go-nsq's names, defaults, limits and
 * cross-field rules (reference: go-nsq {@code config.go}). Immutable and thread-safe;
 * build it with {@link #builder()}, either through typed setters or through go-nsq's
 * option names with {@link Builder#set(String, Object)} so that existing tuning carries
 * over:
 *
 * <pre>{@code
 * NsqConfig config = NsqConfig.builder()
 *     .set("max_in_flight", 200)
 *     .set("msg_timeout", "90s")
 *     .build();
 * }</pre>
 *
 * An invalid value fails in {@link Builder#build()} (or in {@code set} when it cannot be
 * converted) with a {@link NsqConfigException} naming the option, the value and the
 * allowed range.
 * <p>
 * Where nsqd itself hard-codes a limit that go-nsq leaves to the server (a non-zero
 * {@code msg_timeout} or {@code heartbeat_interval} below one second, an output buffer
 * below 64 bytes), this class rejects the value at build time instead of letting nsqd
 * close the connection with {@code E_BAD_BODY} later.
 * <p>
 * {@link #toString()} never shows the auth secret.
 */
public final class NsqConfig {

	/** Version of this client, sent in the default {@code user_agent}. */
	public static final String CLIENT_VERSION = "0.1.0";

	/** The default {@code user_agent}: {@code nsq-spring/<version>}. */
	public static final String DEFAULT_USER_AGENT = "nsq-spring/" + CLIENT_VERSION;

	private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

	private static final Duration SIXTY_MINUTES = Duration.ofMinutes(60);

	private final Duration dialTimeout;

	private final Duration readTimeout;

	private final Duration writeTimeout;

	private final InetSocketAddress localAddress;

	private final Duration lookupdPollInterval;

	private final double lookupdPollJitter;

	private final Duration lookupdPollTimeout;

	private final Duration maxRequeueDelay;

	private final Duration defaultRequeueDelay;

	private final BackoffStrategy backoffStrategy;

	private final Duration maxBackoffDuration;

	private final Duration backoffMultiplier;

	private final int maxAttempts;

	private final Duration lowRdyIdleTimeout;

	private final Duration lowRdyTimeout;

	private final Duration rdyRedistributeInterval;

	private final String clientId;

	private final String hostname;

	private final String userAgent;

	private final String topologyRegion;

	private final String topologyZone;

	private final Duration heartbeatInterval;

	private final int sampleRate;

	private final boolean tlsV1;

	private final NsqTlsConfig tlsConfig;

	private final boolean deflate;

	private final int deflateLevel;

	private final boolean snappy;

	private final int outputBufferSize;

	private final Duration outputBufferTimeout;

	private final int maxInFlight;

	private final Duration msgTimeout;

	private final int maxMsgSize;

	private final String authSecret;

	private final boolean lookupdAuthorization;

	private NsqConfig(Builder b) {
		this.dialTimeout = b.dialTimeout;
		this.readTimeout = b.readTimeout;
		this.writeTimeout = b.writeTimeout;
		this.localAddress = b.localAddress;
		this.lookupdPollInterval = b.lookupdPollInterval;
		this.lookupdPollJitter = b.lookupdPollJitter;
		this.lookupdPollTimeout = b.lookupdPollTimeout;
		this.maxRequeueDelay = b.maxRequeueDelay;
		this.defaultRequeueDelay = b.defaultRequeueDelay;
		this.backoffStrategy = b.backoffStrategy;
		this.maxBackoffDuration = b.maxBackoffDuration;
		this.backoffMultiplier = b.backoffMultiplier;
		this.maxAttempts = b.maxAttempts;
		this.lowRdyIdleTimeout = b.lowRdyIdleTimeout;
		this.lowRdyTimeout = b.lowRdyTimeout;
		this.rdyRedistributeInterval = b.rdyRedistributeInterval;
		this.clientId = (b.clientId != null) ? b.clientId : Hostnames.SHORT;
		this.hostname = (b.hostname != null) ? b.hostname : Hostnames.FULL;
		this.userAgent = b.userAgent;
		this.topologyRegion = b.topologyRegion;
		this.topologyZone = b.topologyZone;
		this.heartbeatInterval = b.heartbeatInterval;
		this.sampleRate = b.sampleRate;
		this.tlsV1 = b.tlsV1;
		this.tlsConfig = (b.tlsConfig != null) ? b.tlsConfig.build() : NsqTlsConfig.DEFAULT;
		this.deflate = b.deflate;
		this.deflateLevel = b.deflateLevel;
		this.snappy = b.snappy;
		this.outputBufferSize = b.outputBufferSize;
		this.outputBufferTimeout = b.outputBufferTimeout;
		this.maxInFlight = b.maxInFlight;
		this.msgTimeout = b.msgTimeout;
		this.maxMsgSize = b.maxMsgSize;
		this.authSecret = b.authSecret;
		this.lookupdAuthorization = b.lookupdAuthorization;
	}

	/**
	 * A builder with go-nsq's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The configuration with every default.
	 * @return a new configuration
	 */
	public static NsqConfig defaults() {
		return builder().build();
	}

	/**
	 * A builder holding this configuration, to derive a changed copy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** {@code dial_timeout} (default 1s): TCP connect timeout. */
	public Duration getDialTimeout() {
		return this.dialTimeout;
	}

	/** {@code read_timeout} (default 60s, 100ms..5m): longest wait for any frame. */
	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	/** {@code write_timeout} (default 1s, 100ms..5m): longest a write may block. */
	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	/** {@code local_addr} (default none): local address to bind when dialing. */
	public InetSocketAddress getLocalAddress() {
		return this.localAddress;
	}

	/**
	 * {@code lookupd_poll_interval} (default 60s, 10ms..5m): nsqlookupd poll period; also
	 * go-nsq's reconnect delay for directly configured nsqd.
	 */
	public Duration getLookupdPollInterval() {
		return this.lookupdPollInterval;
	}

	/**
	 * {@code lookupd_poll_jitter} (default 0.3, 0..1): share of the interval used as
	 * random start delay.
	 */
	public double getLookupdPollJitter() {
		return this.lookupdPollJitter;
	}

	/** {@code lookupd_poll_timeout} (default 60s): timeout of one nsqlookupd query. */
	public Duration getLookupdPollTimeout() {
		return this.lookupdPollTimeout;
	}

	/**
	 * {@code max_requeue_delay} (default 15m, 0..60m): cap of the automatic requeue
	 * delay.
	 */
	public Duration getMaxRequeueDelay() {
		return this.maxRequeueDelay;
	}

	/**
	 * {@code default_requeue_delay} (default 90s, 0..60m): automatic delay per attempt.
	 */
	public Duration getDefaultRequeueDelay() {
		return this.defaultRequeueDelay;
	}

	/** {@code backoff_strategy} (default exponential). */
	public BackoffStrategy getBackoffStrategy() {
		return this.backoffStrategy;
	}

	/** {@code max_backoff_duration} (default 2m, 0..60m; 0 disables backoff). */
	public Duration getMaxBackoffDuration() {
		return this.maxBackoffDuration;
	}

	/** {@code backoff_multiplier} (default 1s, 0..60m): unit of backoff time. */
	public Duration getBackoffMultiplier() {
		return this.backoffMultiplier;
	}

	/** {@code max_attempts} (default 5, 0..65535; 0 = unlimited). */
	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * {@code low_rdy_idle_timeout} (default 10s, 1s..5m): idle connection threshold for
	 * RDY redistribution.
	 */
	public Duration getLowRdyIdleTimeout() {
		return this.lowRdyIdleTimeout;
	}

	/**
	 * {@code low_rdy_timeout} (default 30s, 1s..5m): longest a RDY grant is kept during
	 * redistribution.
	 */
	public Duration getLowRdyTimeout() {
		return this.lowRdyTimeout;
	}

	/**
	 * {@code rdy_redistribute_interval} (default 5s, 1ms..5s): period of RDY
	 * redistribution.
	 */
	public Duration getRdyRedistributeInterval() {
		return this.rdyRedistributeInterval;
	}

	/** {@code client_id} (default: the host name up to its first dot). */
	public String getClientId() {
		return this.clientId;
	}

	/** {@code hostname} (default: the OS host name). */
	public String getHostname() {
		return this.hostname;
	}

	/** {@code user_agent} (default {@code nsq-spring/<version>}). */
	public String getUserAgent() {
		return this.userAgent;
	}

	/** {@code topology_region} (default empty). */
	public String getTopologyRegion() {
		return this.topologyRegion;
	}

	/** {@code topology_zone} (default empty). */
	public String getTopologyZone() {
		return this.topologyZone;
	}

	/**
	 * {@code heartbeat_interval} (default 30s; 0 lets nsqd choose (30s); else at least 1s
	 * and at most {@code read_timeout}; a negative value disables heartbeats, which nsqd
	 * allows only for publishers).
	 */
	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	/** Whether heartbeats are disabled ({@code heartbeat_interval} negative). */
	public boolean isHeartbeatDisabled() {
		return this.heartbeatInterval.isNegative();
	}

	/** {@code sample_rate} (default 0 = no sampling, 0..99). */
	public int getSampleRate() {
		return this.sampleRate;
	}

	/** {@code tls_v1} (default false): ask nsqd for TLS. */
	public boolean isTlsV1() {
		return this.tlsV1;
	}

	/**
	 * TLS settings used when TLS is negotiated (go-nsq {@code tls_config} and helpers).
	 */
	public NsqTlsConfig getTlsConfig() {
		return this.tlsConfig;
	}

	/** {@code deflate} (default false): ask nsqd for deflate compression. */
	public boolean isDeflate() {
		return this.deflate;
	}

	/** {@code deflate_level} (default 6, 1..9). */
	public int getDeflateLevel() {
		return this.deflateLevel;
	}

	/**
	 * {@code snappy} (default false): ask nsqd for snappy compression; needs snappy-java.
	 */
	public boolean isSnappy() {
		return this.snappy;
	}

	/**
	 * {@code output_buffer_size} (default 16384 bytes; -1 disables nsqd's buffering; else
	 * at least 64).
	 */
	public int getOutputBufferSize() {
		return this.outputBufferSize;
	}

	/**
	 * {@code output_buffer_timeout} (default 250ms; negative disables nsqd's periodic
	 * flush).
	 */
	public Duration getOutputBufferTimeout() {
		return this.outputBufferTimeout;
	}

	/**
	 * {@code max_in_flight} (default 1, at least 0): messages a consumer may hold at
	 * once.
	 */
	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	/**
	 * {@code msg_timeout} (default 0 = nsqd's default; else at least 1s): in-flight
	 * timeout.
	 */
	public Duration getMsgTimeout() {
		return this.msgTimeout;
	}

	/** {@code max_msg_size} (default 0 = no limit): largest frame accepted from nsqd. */
	public int getMaxMsgSize() {
		return this.maxMsgSize;
	}

	/** {@code auth_secret} (default none). Never printed. */
	public String getAuthSecret() {
		return this.authSecret;
	}

	/**
	 * go-nsq's {@code skip_lookupd_authorization} (default true): despite the name,
	 * {@code true} means the auth secret is sent to nsqlookupd as a bearer token.
	 */
	public boolean isLookupdAuthorization() {
		return this.lookupdAuthorization;
	}

	@Override
	public String toString() {
		return "NsqConfig[dial_timeout=" + this.dialTimeout + ", read_timeout=" + this.readTimeout + ", write_timeout="
				+ this.writeTimeout + ", local_addr=" + this.localAddress + ", lookupd_poll_interval="
				+ this.lookupdPollInterval + ", lookupd_poll_jitter=" + this.lookupdPollJitter
				+ ", lookupd_poll_timeout=" + this.lookupdPollTimeout + ", max_requeue_delay=" + this.maxRequeueDelay
				+ ", default_requeue_delay=" + this.defaultRequeueDelay + ", backoff_strategy=" + this.backoffStrategy
				+ ", max_backoff_duration=" + this.maxBackoffDuration + ", backoff_multiplier=" + this.backoffMultiplier
				+ ", max_attempts=" + this.maxAttempts + ", low_rdy_idle_timeout=" + this.lowRdyIdleTimeout
				+ ", low_rdy_timeout=" + this.lowRdyTimeout + ", rdy_redistribute_interval="
				+ this.rdyRedistributeInterval + ", client_id=" + this.clientId + ", hostname=" + this.hostname
				+ ", user_agent=" + this.userAgent + ", topology_region=" + this.topologyRegion + ", topology_zone="
				+ this.topologyZone + ", heartbeat_interval=" + this.heartbeatInterval + ", sample_rate="
				+ this.sampleRate + ", tls_v1=" + this.tlsV1 + ", tls_config=" + this.tlsConfig + ", deflate="
				+ this.deflate + ", deflate_level=" + this.deflateLevel + ", snappy=" + this.snappy
				+ ", output_buffer_size=" + this.outputBufferSize + ", output_buffer_timeout="
				+ this.outputBufferTimeout + ", max_in_flight=" + this.maxInFlight + ", msg_timeout=" + this.msgTimeout
				+ ", max_msg_size=" + this.maxMsgSize + ", auth_secret=" + ((this.authSecret != null) ? "******" : "")
				+ ", skip_lookupd_authorization=" + this.lookupdAuthorization + "]";
	}

	/**
	 * Builder of {@link NsqConfig}, starting from go-nsq's defaults.
	 */
	public static final class Builder {

		private Duration dialTimeout = Duration.ofSeconds(1);

		private Duration readTimeout = Duration.ofSeconds(60);

		private Duration writeTimeout = Duration.ofSeconds(1);

		private InetSocketAddress localAddress;

		private Duration lookupdPollInterval = Duration.ofSeconds(60);

		private double lookupdPollJitter = 0.3;

		private Duration lookupdPollTimeout = Duration.ofSeconds(60);

		private Duration maxRequeueDelay = Duration.ofMinutes(15);

		private Duration defaultRequeueDelay = Duration.ofSeconds(90);

		private BackoffStrategy backoffStrategy = BackoffStrategy.EXPONENTIAL;

		private Duration maxBackoffDuration = Duration.ofMinutes(2);

		private Duration backoffMultiplier = Duration.ofSeconds(1);

		private int maxAttempts = 5;

		private Duration lowRdyIdleTimeout = Duration.ofSeconds(10);

		private Duration lowRdyTimeout = Duration.ofSeconds(30);

		private Duration rdyRedistributeInterval = Duration.ofSeconds(5);

		private String clientId;

		private String hostname;

		private String userAgent = DEFAULT_USER_AGENT;

		private String topologyRegion = "";

		private String topologyZone = "";

		private Duration heartbeatInterval = Duration.ofSeconds(30);

		private int sampleRate;

		private boolean tlsV1;

		private NsqTlsConfig.Builder tlsConfig;

		private boolean deflate;

		private int deflateLevel = 6;

		private boolean snappy;

		private int outputBufferSize = 16384;

		private Duration outputBufferTimeout = Duration.ofMillis(250);

		private int maxInFlight = 1;

		private Duration msgTimeout = Duration.ZERO;

		private int maxMsgSize;

		private String authSecret;

		private boolean lookupdAuthorization = true;

		private Builder() {
		}

		private Builder(NsqConfig c) {
			this.dialTimeout = c.dialTimeout;
			this.readTimeout = c.readTimeout;
			this.writeTimeout = c.writeTimeout;
			this.localAddress = c.localAddress;
			this.lookupdPollInterval = c.lookupdPollInterval;
			this.lookupdPollJitter = c.lookupdPollJitter;
			this.lookupdPollTimeout = c.lookupdPollTimeout;
			this.maxRequeueDelay = c.maxRequeueDelay;
			this.defaultRequeueDelay = c.defaultRequeueDelay;
			this.backoffStrategy = c.backoffStrategy;
			this.maxBackoffDuration = c.maxBackoffDuration;
			this.backoffMultiplier = c.backoffMultiplier;
			this.maxAttempts = c.maxAttempts;
			this.lowRdyIdleTimeout = c.lowRdyIdleTimeout;
			this.lowRdyTimeout = c.lowRdyTimeout;
			this.rdyRedistributeInterval = c.rdyRedistributeInterval;
			this.clientId = c.clientId;
			this.hostname = c.hostname;
			this.userAgent = c.userAgent;
			this.topologyRegion = c.topologyRegion;
			this.topologyZone = c.topologyZone;
			this.heartbeatInterval = c.heartbeatInterval;
			this.sampleRate = c.sampleRate;
			this.tlsV1 = c.tlsV1;
			this.tlsConfig = c.tlsConfig.toBuilder();
			this.deflate = c.deflate;
			this.deflateLevel = c.deflateLevel;
			this.snappy = c.snappy;
			this.outputBufferSize = c.outputBufferSize;
			this.outputBufferTimeout = c.outputBufferTimeout;
			this.maxInFlight = c.maxInFlight;
			this.msgTimeout = c.msgTimeout;
			this.maxMsgSize = c.maxMsgSize;
			this.authSecret = c.authSecret;
			this.lookupdAuthorization = c.lookupdAuthorization;
		}

		/**
		 * Set an option by its go-nsq name, e.g. {@code set("max_in_flight", 200)} or
		 * {@code set("msg_timeout", "90s")}. Durations accept Go duration strings,
		 * ISO-8601, integers (milliseconds) and {@link Duration}; booleans accept
		 * {@code true}/{@code false} and {@code 1}/{@code 0}; numbers accept numbers and
		 * numeric strings.
		 * @param option the go-nsq option name
		 * @param value the value
		 * @return this builder
		 * @throws NsqConfigException for an unknown option or a value of the wrong type
		 */
		public Builder set(String option, Object value) {
			Objects.requireNonNull(option, "option");
			switch (option) {
				case "dial_timeout" -> this.dialTimeout = duration(option, value);
				case "read_timeout" -> this.readTimeout = duration(option, value);
				case "write_timeout" -> this.writeTimeout = duration(option, value);
				case "local_addr" -> this.localAddress = socketAddress(option, value);
				case "lookupd_poll_interval" -> this.lookupdPollInterval = duration(option, value);
				case "lookupd_poll_jitter" -> this.lookupdPollJitter = decimal(option, value);
				case "lookupd_poll_timeout" -> this.lookupdPollTimeout = duration(option, value);
				case "max_requeue_delay" -> this.maxRequeueDelay = duration(option, value);
				case "default_requeue_delay" -> this.defaultRequeueDelay = duration(option, value);
				case "backoff_strategy" -> this.backoffStrategy = (value instanceof BackoffStrategy strategy) ? strategy
						: BackoffStrategy.forName(string(option, value));
				case "max_backoff_duration" -> this.maxBackoffDuration = duration(option, value);
				case "backoff_multiplier" -> this.backoffMultiplier = duration(option, value);
				case "max_attempts" -> this.maxAttempts = integer(option, value);
				case "low_rdy_idle_timeout" -> this.lowRdyIdleTimeout = duration(option, value);
				case "low_rdy_timeout" -> this.lowRdyTimeout = duration(option, value);
				case "rdy_redistribute_interval" -> this.rdyRedistributeInterval = duration(option, value);
				case "client_id" -> this.clientId = string(option, value);
				case "hostname" -> this.hostname = string(option, value);
				case "user_agent" -> this.userAgent = string(option, value);
				case "topology_region" -> this.topologyRegion = string(option, value);
				case "topology_zone" -> this.topologyZone = string(option, value);
				case "heartbeat_interval" -> this.heartbeatInterval = duration(option, value);
				case "sample_rate" -> this.sampleRate = integer(option, value);
				case "tls_v1" -> this.tlsV1 = bool(option, value);
				case "tls_root_ca_file" -> tls().rootCaFile(Path.of(string(option, value)));
				case "tls_insecure_skip_verify" -> tls().insecureSkipVerify(bool(option, value));
				case "tls_cert" -> tls().certFile(Path.of(string(option, value)));
				case "tls_key" -> tls().keyFile(Path.of(string(option, value)));
				case "tls_min_version" -> tls().minVersion(string(option, value));
				case "deflate" -> this.deflate = bool(option, value);
				case "deflate_level" -> this.deflateLevel = integer(option, value);
				case "snappy" -> this.snappy = bool(option, value);
				case "output_buffer_size" -> this.outputBufferSize = integer(option, value);
				case "output_buffer_timeout" -> this.outputBufferTimeout = duration(option, value);
				case "max_in_flight" -> this.maxInFlight = integer(option, value);
				case "msg_timeout" -> this.msgTimeout = duration(option, value);
				case "max_msg_size" -> this.maxMsgSize = integer(option, value);
				case "auth_secret" -> this.authSecret = string(option, value);
				case "skip_lookupd_authorization" -> this.lookupdAuthorization = bool(option, value);
				default -> throw new NsqConfigException("unknown option \"" + option + "\"");
			}
			return this;
		}

		public Builder dialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
			return this;
		}

		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		public Builder localAddress(InetSocketAddress localAddress) {
			this.localAddress = localAddress;
			return this;
		}

		public Builder lookupdPollInterval(Duration lookupdPollInterval) {
			this.lookupdPollInterval = lookupdPollInterval;
			return this;
		}

		public Builder lookupdPollJitter(double lookupdPollJitter) {
			this.lookupdPollJitter = lookupdPollJitter;
			return this;
		}

		public Builder lookupdPollTimeout(Duration lookupdPollTimeout) {
			this.lookupdPollTimeout = lookupdPollTimeout;
			return this;
		}

		public Builder maxRequeueDelay(Duration maxRequeueDelay) {
			this.maxRequeueDelay = maxRequeueDelay;
			return this;
		}

		public Builder defaultRequeueDelay(Duration defaultRequeueDelay) {
			this.defaultRequeueDelay = defaultRequeueDelay;
			return this;
		}

		public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
			this.backoffStrategy = backoffStrategy;
			return this;
		}

		public Builder maxBackoffDuration(Duration maxBackoffDuration) {
			this.maxBackoffDuration = maxBackoffDuration;
			return this;
		}

		public Builder backoffMultiplier(Duration backoffMultiplier) {
			this.backoffMultiplier = backoffMultiplier;
			return this;
		}

		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		public Builder lowRdyIdleTimeout(Duration lowRdyIdleTimeout) {
			this.lowRdyIdleTimeout = lowRdyIdleTimeout;
			return this;
		}

		public Builder lowRdyTimeout(Duration lowRdyTimeout) {
			this.lowRdyTimeout = lowRdyTimeout;
			return this;
		}

		public Builder rdyRedistributeInterval(Duration rdyRedistributeInterval) {
			this.rdyRedistributeInterval = rdyRedistributeInterval;
			return this;
		}

		public Builder clientId(String clientId) {
			this.clientId = clientId;
			return this;
		}

		public Builder hostname(String hostname) {
			this.hostname = hostname;
			return this;
		}

		public Builder userAgent(String userAgent) {
			this.userAgent = userAgent;
			return this;
		}

		public Builder topologyRegion(String topologyRegion) {
			this.topologyRegion = topologyRegion;
			return this;
		}

		public Builder topologyZone(String topologyZone) {
			this.topologyZone = topologyZone;
			return this;
		}

		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		public Builder sampleRate(int sampleRate) {
			this.sampleRate = sampleRate;
			return this;
		}

		public Builder tlsV1(boolean tlsV1) {
			this.tlsV1 = tlsV1;
			return this;
		}

		/**
		 * Replace the TLS settings.
		 * @param tlsConfig the settings
		 * @return this builder
		 */
		public Builder tlsConfig(NsqTlsConfig tlsConfig) {
			this.tlsConfig = tlsConfig.toBuilder();
			return this;
		}

		public Builder deflate(boolean deflate) {
			this.deflate = deflate;
			return this;
		}

		public Builder deflateLevel(int deflateLevel) {
			this.deflateLevel = deflateLevel;
			return this;
		}

		public Builder snappy(boolean snappy) {
			this.snappy = snappy;
			return this;
		}

		public Builder outputBufferSize(int outputBufferSize) {
			this.outputBufferSize = outputBufferSize;
			return this;
		}

		public Builder outputBufferTimeout(Duration outputBufferTimeout) {
			this.outputBufferTimeout = outputBufferTimeout;
			return this;
		}

		public Builder maxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
			return this;
		}

		public Builder msgTimeout(Duration msgTimeout) {
			this.msgTimeout = msgTimeout;
			return this;
		}

		public Builder maxMsgSize(int maxMsgSize) {
			this.maxMsgSize = maxMsgSize;
			return this;
		}

		public Builder authSecret(String authSecret) {
			this.authSecret = authSecret;
			return this;
		}

		public Builder lookupdAuthorization(boolean lookupdAuthorization) {
			this.lookupdAuthorization = lookupdAuthorization;
			return this;
		}

		/**
		 * Validate every option and the cross-field rules, then build.
		 * @return the configuration
		 * @throws NsqConfigException naming the first invalid option, its value and the
		 * allowed range
		 */
		public NsqConfig build() {
			required("dial_timeout", this.dialTimeout);
			positive("dial_timeout", this.dialTimeout);
			range("read_timeout", this.readTimeout, Duration.ofMillis(100), FIVE_MINUTES);
			range("write_timeout", this.writeTimeout, Duration.ofMillis(100), FIVE_MINUTES);
			range("lookupd_poll_interval", this.lookupdPollInterval, Duration.ofMillis(10), FIVE_MINUTES);
			if (!(this.lookupdPollJitter >= 0 && this.lookupdPollJitter <= 1)) {
				throw outOfRange("lookupd_poll_jitter", this.lookupdPollJitter, "0 to 1");
			}
			required("lookupd_poll_timeout", this.lookupdPollTimeout);
			positive("lookupd_poll_timeout", this.lookupdPollTimeout);
			range("max_requeue_delay", this.maxRequeueDelay, Duration.ZERO, SIXTY_MINUTES);
			range("default_requeue_delay", this.defaultRequeueDelay, Duration.ZERO, SIXTY_MINUTES);
			required("backoff_strategy", this.backoffStrategy);
			range("max_backoff_duration", this.maxBackoffDuration, Duration.ZERO, SIXTY_MINUTES);
			range("backoff_multiplier", this.backoffMultiplier, Duration.ZERO, SIXTY_MINUTES);
			range("max_attempts", this.maxAttempts, 0, 65535);
			range("low_rdy_idle_timeout", this.lowRdyIdleTimeout, Duration.ofSeconds(1), FIVE_MINUTES);
			range("low_rdy_timeout", this.lowRdyTimeout, Duration.ofSeconds(1), FIVE_MINUTES);
			range("rdy_redistribute_interval", this.rdyRedistributeInterval, Duration.ofMillis(1),
					Duration.ofSeconds(5));
			required("user_agent", this.userAgent);
			required("topology_region", this.topologyRegion);
			required("topology_zone", this.topologyZone);
			required("heartbeat_interval", this.heartbeatInterval);
			if (!this.heartbeatInterval.isNegative() && !this.heartbeatInterval.isZero()) {
				range("heartbeat_interval", this.heartbeatInterval, Duration.ofSeconds(1), this.readTimeout,
						"1s to read_timeout (" + GoDurations.format(this.readTimeout)
								+ "), 0 for nsqd's default, or negative to disable");
			}
			range("sample_rate", this.sampleRate, 0, 99);
			range("deflate_level", this.deflateLevel, 1, 9);
			if (this.outputBufferSize != -1 && this.outputBufferSize != 0 && this.outputBufferSize < 64) {
				throw outOfRange("output_buffer_size", this.outputBufferSize,
						"-1 (disabled), 0 (nsqd default) or 64 and more");
			}
			required("output_buffer_timeout", this.outputBufferTimeout);
			range("max_in_flight", this.maxInFlight, 0, Integer.MAX_VALUE);
			required("msg_timeout", this.msgTimeout);
			if (!this.msgTimeout.isZero()) {
				range("msg_timeout", this.msgTimeout, Duration.ofSeconds(1), Duration.ofDays(365),
						"0 (nsqd default) or 1s and more");
			}
			range("max_msg_size", this.maxMsgSize, 0, Integer.MAX_VALUE);
			if (this.snappy && this.deflate) {
				throw new NsqConfigException("snappy and deflate cannot both be enabled (nsqd negotiates only one)");
			}
			return new NsqConfig(this);
		}

		private NsqTlsConfig.Builder tls() {
			if (this.tlsConfig == null) {
				this.tlsConfig = NsqTlsConfig.builder();
			}
			return this.tlsConfig;
		}

		private static void required(String option, Object value) {
			if (value == null) {
				throw new NsqConfigException("invalid value for " + option + ": null (a value is required)");
			}
		}

		private static void positive(String option, Duration value) {
			if (value.isNegative() || value.isZero()) {
				throw outOfRange(option, value, "more than 0");
			}
		}

		private static void range(String option, Duration value, Duration min, Duration max) {
			range(option, value, min, max, GoDurations.format(min) + " to " + GoDurations.format(max));
		}

		private static void range(String option, Duration value, Duration min, Duration max, String allowed) {
			required(option, value);
			if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
				throw outOfRange(option, value, allowed);
			}
		}

		private static void range(String option, int value, int min, int max) {
			if (value < min || value > max) {
				throw outOfRange(option, value, min + " to " + max);
			}
		}

		private static NsqConfigException outOfRange(String option, Object value, String allowed) {
			String shown = (value instanceof Duration duration) ? GoDurations.format(duration) : String.valueOf(value);
			return new NsqConfigException("invalid value for " + option + ": " + shown + " (allowed: " + allowed + ")");
		}

		private static Duration duration(String option, Object value) {
			return GoDurations.coerce(option, value);
		}

		private static int integer(String option, Object value) {
			if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
				return ((Number) value).intValue();
			}
			if (value instanceof Long longValue && longValue == longValue.intValue()) {
				return longValue.intValue();
			}
			if (value instanceof String text) {
				try {
					return Integer.parseInt(text.trim());
				}
				catch (NumberFormatException ex) {
					// reported below
				}
			}
			throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not an integer");
		}

		private static double decimal(String option, Object value) {
			if (value instanceof Number number) {
				return number.doubleValue();
			}
			if (value instanceof String text) {
				try {
					return Double.parseDouble(text.trim());
				}
				catch (NumberFormatException ex) {
					// reported below
				}
			}
			throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not a number");
		}

		private static boolean bool(String option, Object value) {
			if (value instanceof Boolean bool) {
				return bool;
			}
			String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
			return switch (text) {
				case "true", "1" -> true;
				case "false", "0" -> false;
				default -> throw new NsqConfigException(
						"invalid value for " + option + ": \"" + value + "\" is not a boolean (true, false, 1, 0)");
			};
		}

		private static String string(String option, Object value) {
			if (value == null) {
				throw new NsqConfigException("invalid value for " + option + ": null (a value is required)");
			}
			return value.toString();
		}

		private static InetSocketAddress socketAddress(String option, Object value) {
			if (value instanceof InetSocketAddress address) {
				return address;
			}
			String text = string(option, value).trim();
			int colon = text.lastIndexOf(':');
			try {
				if (colon < 0) {
					return new InetSocketAddress(text, 0);
				}
				String host = text.substring(0, colon);
				if (host.startsWith("[") && host.endsWith("]")) {
					host = host.substring(1, host.length() - 1);
				}
				return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
			}
			catch (IllegalArgumentException ex) {
				throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not host[:port]");
			}
		}

	}

	/**
	 * The local host name, read once: go-nsq defaults {@code hostname} to it and
	 * {@code client_id} to its first label.
	 */
	private static final class Hostnames {

		static final String FULL = lookup();

		static final String SHORT = FULL.contains(".") ? FULL.substring(0, FULL.indexOf('.')) : FULL;

		private static String lookup() {
			String name = System.getenv("HOSTNAME");
			if (name == null || name.isBlank()) {
				try {
					name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
				}
				catch (IOException | RuntimeException ex) {
					name = null;
				}
			}
			if (name == null || name.isBlank()) {
				try {
					name = InetAddress.getLocalHost().getHostName();
				}
				catch (IOException ex) {
					name = "localhost";
				}
			}
			return name;
		}

	}

}
