package io.github.nsqspring.core.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;

import static io.github.nsqspring.core.config.OptionChecks.outOfRange;
import static io.github.nsqspring.core.config.OptionChecks.positive;
import static io.github.nsqspring.core.config.OptionChecks.range;
import static io.github.nsqspring.core.config.OptionChecks.required;
import static io.github.nsqspring.core.config.OptionValues.bool;
import static io.github.nsqspring.core.config.OptionValues.duration;
import static io.github.nsqspring.core.config.OptionValues.integer;
import static io.github.nsqspring.core.config.OptionValues.socketAddress;
import static io.github.nsqspring.core.config.OptionValues.string;

/**
 * How every connection to nsqd is opened and negotiated, for producers and consumers
 * alike: timeouts and heartbeats, the identity sent in IDENTIFY, nsqd's output buffering
 * and sampling, compression, TLS and the auth secret. go-nsq's names, defaults and limits
 * (reference: go-nsq {@code config.go}); immutable and thread-safe. Usually part of an
 * {@link NsqConfig} ({@link NsqConfig#connection()}); build one alone with
 * {@link #builder()}.
 * <p>
 * An invalid value fails in {@link Builder#build()} with a
 * {@link io.github.nsqspring.core.NsqConfigException} naming the option, the value and
 * the allowed range. Where nsqd itself hard-codes a limit that go-nsq leaves to the
 * server (a non-zero {@code heartbeat_interval} below one second, an output buffer below
 * 64 bytes), the value is rejected here instead of nsqd closing the connection with
 * {@code E_BAD_BODY} later. {@code heartbeat_interval} must not exceed
 * {@code read_timeout} (go-nsq's {@code Validate}), or a healthy idle connection would
 * time out.
 * <p>
 * {@link #toString()} never shows the auth secret or key passwords.
 */
public final class NsqConnectionConfig {

	/** The default {@code user_agent}: {@code nsq-spring/<version>}. */
	public static final String DEFAULT_USER_AGENT = "nsq-spring/" + NsqConfig.CLIENT_VERSION;

	private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

	private final Duration dialTimeout;

	private final Duration readTimeout;

	private final Duration writeTimeout;

	private final InetSocketAddress localAddress;

	private final Duration heartbeatInterval;

	private final String clientId;

	private final String hostname;

	private final String userAgent;

	private final String topologyRegion;

	private final String topologyZone;

	private final int outputBufferSize;

	private final Duration outputBufferTimeout;

	private final int sampleRate;

	private final boolean snappy;

	private final boolean deflate;

	private final int deflateLevel;

	private final boolean tlsV1;

	private final NsqTlsConfig tlsConfig;

	private final String authSecret;

	private NsqConnectionConfig(Builder b) {
		this.dialTimeout = b.dialTimeout;
		this.readTimeout = b.readTimeout;
		this.writeTimeout = b.writeTimeout;
		this.localAddress = b.localAddress;
		this.heartbeatInterval = b.heartbeatInterval;
		this.clientId = (b.clientId != null) ? b.clientId : Hostnames.SHORT;
		this.hostname = (b.hostname != null) ? b.hostname : Hostnames.FULL;
		this.userAgent = b.userAgent;
		this.topologyRegion = b.topologyRegion;
		this.topologyZone = b.topologyZone;
		this.outputBufferSize = b.outputBufferSize;
		this.outputBufferTimeout = b.outputBufferTimeout;
		this.sampleRate = b.sampleRate;
		this.snappy = b.snappy;
		this.deflate = b.deflate;
		this.deflateLevel = b.deflateLevel;
		this.tlsV1 = b.tlsV1;
		this.tlsConfig = (b.tlsConfig != null) ? b.tlsConfig.build() : NsqTlsConfig.DEFAULT;
		this.authSecret = b.authSecret;
	}

	/**
	 * A builder with go-nsq's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The connection settings with every default.
	 * @return the settings
	 */
	public static NsqConnectionConfig defaults() {
		return builder().build();
	}

	/**
	 * A builder holding these settings, to derive a changed copy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * {@code dial_timeout} (default 1s, more than 0): TCP connect timeout. Like
	 * {@code read_timeout} and {@code write_timeout} it is enforced by a watchdog thread
	 * that checks every 50 ms (the sockets themselves get no timeout, which keeps their
	 * reads cheap), so a timeout fires up to 50 ms after it is due.
	 * @return the timeout
	 */
	public Duration getDialTimeout() {
		return this.dialTimeout;
	}

	/**
	 * {@code read_timeout} (default 60s, 100ms..5m): longest wait for any frame; during
	 * the handshake, for each of nsqd's answers (the TLS handshake counting as one).
	 * @return the timeout
	 */
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

	/** {@code sample_rate} (default 0 = no sampling, 0..99). */
	public int getSampleRate() {
		return this.sampleRate;
	}

	/**
	 * {@code snappy} (default false): ask nsqd for snappy compression; needs snappy-java.
	 */
	public boolean isSnappy() {
		return this.snappy;
	}

	/** {@code deflate} (default false): ask nsqd for deflate compression. */
	public boolean isDeflate() {
		return this.deflate;
	}

	/** {@code deflate_level} (default 6, 1..9). */
	public int getDeflateLevel() {
		return this.deflateLevel;
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

	/**
	 * {@code auth_secret} (default none): sent with AUTH when nsqd requires it, and to
	 * nsqlookupd as a bearer token when {@link NsqLookupdConfig#isAuthorization()}. Never
	 * printed.
	 */
	public String getAuthSecret() {
		return this.authSecret;
	}

	@Override
	public String toString() {
		return "NsqConnectionConfig[dial_timeout=" + GoDurations.format(this.dialTimeout) + ", read_timeout="
				+ GoDurations.format(this.readTimeout) + ", write_timeout=" + GoDurations.format(this.writeTimeout)
				+ ", local_addr=" + this.localAddress + ", heartbeat_interval="
				+ GoDurations.format(this.heartbeatInterval) + ", client_id=" + this.clientId + ", hostname="
				+ this.hostname + ", user_agent=" + this.userAgent + ", topology_region=" + this.topologyRegion
				+ ", topology_zone=" + this.topologyZone + ", output_buffer_size=" + this.outputBufferSize
				+ ", output_buffer_timeout=" + GoDurations.format(this.outputBufferTimeout) + ", sample_rate="
				+ this.sampleRate + ", snappy=" + this.snappy + ", deflate=" + this.deflate + ", deflate_level="
				+ this.deflateLevel + ", auth_secret=" + ((this.authSecret != null) ? "******" : "") + ", tls_v1="
				+ this.tlsV1 + ", tls_config=" + this.tlsConfig + "]";
	}

	/**
	 * Builder of {@link NsqConnectionConfig}, starting from go-nsq's defaults. Values are
	 * checked in {@link #build()}.
	 */
	public static final class Builder {

		private Duration dialTimeout = Duration.ofSeconds(1);

		private Duration readTimeout = Duration.ofSeconds(60);

		private Duration writeTimeout = Duration.ofSeconds(1);

		private InetSocketAddress localAddress;

		private Duration heartbeatInterval = Duration.ofSeconds(30);

		private String clientId;

		private String hostname;

		private String userAgent = DEFAULT_USER_AGENT;

		private String topologyRegion = "";

		private String topologyZone = "";

		private int outputBufferSize = 16384;

		private Duration outputBufferTimeout = Duration.ofMillis(250);

		private int sampleRate;

		private boolean snappy;

		private boolean deflate;

		private int deflateLevel = 6;

		private boolean tlsV1;

		private NsqTlsConfig.Builder tlsConfig;

		private String authSecret;

		private Builder() {
		}

		private Builder(NsqConnectionConfig c) {
			this.dialTimeout = c.dialTimeout;
			this.readTimeout = c.readTimeout;
			this.writeTimeout = c.writeTimeout;
			this.localAddress = c.localAddress;
			this.heartbeatInterval = c.heartbeatInterval;
			this.clientId = c.clientId;
			this.hostname = c.hostname;
			this.userAgent = c.userAgent;
			this.topologyRegion = c.topologyRegion;
			this.topologyZone = c.topologyZone;
			this.outputBufferSize = c.outputBufferSize;
			this.outputBufferTimeout = c.outputBufferTimeout;
			this.sampleRate = c.sampleRate;
			this.snappy = c.snappy;
			this.deflate = c.deflate;
			this.deflateLevel = c.deflateLevel;
			this.tlsV1 = c.tlsV1;
			this.tlsConfig = c.tlsConfig.toBuilder();
			this.authSecret = c.authSecret;
		}

		/**
		 * Set a go-nsq option of this section by name.
		 * @return {@code false} when the option is not a connection option
		 */
		boolean setOption(String option, Object value) {
			switch (option) {
				case "dial_timeout" -> this.dialTimeout = duration(option, value);
				case "read_timeout" -> this.readTimeout = duration(option, value);
				case "write_timeout" -> this.writeTimeout = duration(option, value);
				case "local_addr" -> this.localAddress = socketAddress(option, value);
				case "heartbeat_interval" -> this.heartbeatInterval = duration(option, value);
				case "client_id" -> this.clientId = string(option, value);
				case "hostname" -> this.hostname = string(option, value);
				case "user_agent" -> this.userAgent = string(option, value);
				case "topology_region" -> this.topologyRegion = string(option, value);
				case "topology_zone" -> this.topologyZone = string(option, value);
				case "output_buffer_size" -> this.outputBufferSize = integer(option, value);
				case "output_buffer_timeout" -> this.outputBufferTimeout = duration(option, value);
				case "sample_rate" -> this.sampleRate = integer(option, value);
				case "snappy" -> this.snappy = bool(option, value);
				case "deflate" -> this.deflate = bool(option, value);
				case "deflate_level" -> this.deflateLevel = integer(option, value);
				case "tls_v1" -> this.tlsV1 = bool(option, value);
				case "tls_root_ca_file" -> tls().rootCaFile(Path.of(string(option, value)));
				case "tls_insecure_skip_verify" -> tls().insecureSkipVerify(bool(option, value));
				case "tls_cert" -> tls().certFile(Path.of(string(option, value)));
				case "tls_key" -> tls().keyFile(Path.of(string(option, value)));
				case "tls_min_version" -> tls().minVersion(string(option, value));
				case "auth_secret" -> this.authSecret = string(option, value);
				default -> {
					return false;
				}
			}
			return true;
		}

		/**
		 * {@code dial_timeout}, see {@link NsqConnectionConfig#getDialTimeout()}.
		 * @param dialTimeout the timeout
		 * @return this builder
		 */
		public Builder dialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
			return this;
		}

		/**
		 * {@code read_timeout}, see {@link NsqConnectionConfig#getReadTimeout()}.
		 * @param readTimeout the timeout
		 * @return this builder
		 */
		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		/**
		 * {@code write_timeout}, see {@link NsqConnectionConfig#getWriteTimeout()}.
		 * @param writeTimeout the timeout
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		/**
		 * {@code local_addr}, see {@link NsqConnectionConfig#getLocalAddress()}.
		 * @param localAddress the address, or {@code null} for any
		 * @return this builder
		 */
		public Builder localAddress(InetSocketAddress localAddress) {
			this.localAddress = localAddress;
			return this;
		}

		/**
		 * {@code heartbeat_interval}, see
		 * {@link NsqConnectionConfig#getHeartbeatInterval()}.
		 * @param heartbeatInterval the interval
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/**
		 * {@code client_id}, see {@link NsqConnectionConfig#getClientId()}.
		 * @param clientId the id, or {@code null} for the default
		 * @return this builder
		 */
		public Builder clientId(String clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * {@code hostname}, see {@link NsqConnectionConfig#getHostname()}.
		 * @param hostname the name, or {@code null} for the default
		 * @return this builder
		 */
		public Builder hostname(String hostname) {
			this.hostname = hostname;
			return this;
		}

		/**
		 * {@code user_agent}, see {@link NsqConnectionConfig#getUserAgent()}.
		 * @param userAgent the user agent
		 * @return this builder
		 */
		public Builder userAgent(String userAgent) {
			this.userAgent = userAgent;
			return this;
		}

		/**
		 * {@code topology_region}, see {@link NsqConnectionConfig#getTopologyRegion()}.
		 * @param topologyRegion the region
		 * @return this builder
		 */
		public Builder topologyRegion(String topologyRegion) {
			this.topologyRegion = topologyRegion;
			return this;
		}

		/**
		 * {@code topology_zone}, see {@link NsqConnectionConfig#getTopologyZone()}.
		 * @param topologyZone the zone
		 * @return this builder
		 */
		public Builder topologyZone(String topologyZone) {
			this.topologyZone = topologyZone;
			return this;
		}

		/**
		 * {@code output_buffer_size}, see
		 * {@link NsqConnectionConfig#getOutputBufferSize()}.
		 * @param outputBufferSize bytes
		 * @return this builder
		 */
		public Builder outputBufferSize(int outputBufferSize) {
			this.outputBufferSize = outputBufferSize;
			return this;
		}

		/**
		 * {@code output_buffer_timeout}, see
		 * {@link NsqConnectionConfig#getOutputBufferTimeout()}.
		 * @param outputBufferTimeout the timeout
		 * @return this builder
		 */
		public Builder outputBufferTimeout(Duration outputBufferTimeout) {
			this.outputBufferTimeout = outputBufferTimeout;
			return this;
		}

		/**
		 * {@code sample_rate}, see {@link NsqConnectionConfig#getSampleRate()}.
		 * @param sampleRate percent
		 * @return this builder
		 */
		public Builder sampleRate(int sampleRate) {
			this.sampleRate = sampleRate;
			return this;
		}

		/**
		 * {@code snappy}, see {@link NsqConnectionConfig#isSnappy()}.
		 * @param snappy whether to ask for snappy
		 * @return this builder
		 */
		public Builder snappy(boolean snappy) {
			this.snappy = snappy;
			return this;
		}

		/**
		 * {@code deflate}, see {@link NsqConnectionConfig#isDeflate()}.
		 * @param deflate whether to ask for deflate
		 * @return this builder
		 */
		public Builder deflate(boolean deflate) {
			this.deflate = deflate;
			return this;
		}

		/**
		 * {@code deflate_level}, see {@link NsqConnectionConfig#getDeflateLevel()}.
		 * @param deflateLevel 1 to 9
		 * @return this builder
		 */
		public Builder deflateLevel(int deflateLevel) {
			this.deflateLevel = deflateLevel;
			return this;
		}

		/**
		 * {@code tls_v1}, see {@link NsqConnectionConfig#isTlsV1()}.
		 * @param tlsV1 whether to ask for TLS
		 * @return this builder
		 */
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

		/**
		 * {@code auth_secret}, see {@link NsqConnectionConfig#getAuthSecret()}.
		 * @param authSecret the secret, or {@code null} for none
		 * @return this builder
		 */
		public Builder authSecret(String authSecret) {
			this.authSecret = authSecret;
			return this;
		}

		/**
		 * Validate every option and the rules between them, then build.
		 * @return the settings
		 * @throws NsqConfigException naming the first invalid option, its value and the
		 * allowed range
		 */
		public NsqConnectionConfig build() {
			positive("dial_timeout", this.dialTimeout);
			range("read_timeout", this.readTimeout, Duration.ofMillis(100), FIVE_MINUTES);
			range("write_timeout", this.writeTimeout, Duration.ofMillis(100), FIVE_MINUTES);
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
			if (this.snappy && this.deflate) {
				throw new NsqConfigException("snappy and deflate cannot both be enabled (nsqd negotiates only one)");
			}
			return new NsqConnectionConfig(this);
		}

		private NsqTlsConfig.Builder tls() {
			if (this.tlsConfig == null) {
				this.tlsConfig = NsqTlsConfig.builder();
			}
			return this.tlsConfig;
		}

	}

}
