package io.github.nsqspring.core.config;

import java.time.Duration;

import static io.github.nsqspring.core.config.OptionChecks.outOfRange;
import static io.github.nsqspring.core.config.OptionChecks.positive;
import static io.github.nsqspring.core.config.OptionChecks.range;
import static io.github.nsqspring.core.config.OptionValues.bool;
import static io.github.nsqspring.core.config.OptionValues.decimal;
import static io.github.nsqspring.core.config.OptionValues.duration;

/**
 * How nsqlookupd is asked which nsqd to use: the poll period and its jitter, the timeout
 * of one query and whether the auth secret goes along. go-nsq's names, defaults and
 * limits (reference: go-nsq {@code config.go}); immutable and thread-safe. Usually part
 * of an {@link NsqConfig} ({@link NsqConfig#lookupd()}); build one alone with
 * {@link #builder()}. An invalid value fails in {@link Builder#build()} with a
 * {@link io.github.nsqspring.core.NsqConfigException} naming the option, the value and
 * the allowed range.
 */
public final class NsqLookupdConfig {

	private final Duration pollInterval;

	private final double pollJitter;

	private final Duration pollTimeout;

	private final boolean authorization;

	private NsqLookupdConfig(Builder b) {
		this.pollInterval = b.pollInterval;
		this.pollJitter = b.pollJitter;
		this.pollTimeout = b.pollTimeout;
		this.authorization = b.authorization;
	}

	/**
	 * A builder with go-nsq's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The nsqlookupd settings with every default.
	 * @return the settings
	 */
	public static NsqLookupdConfig defaults() {
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
	 * {@code lookupd_poll_interval} (default 60s, 10ms..5m): nsqlookupd poll period; also
	 * go-nsq's reconnect delay for directly configured nsqd.
	 */
	public Duration getPollInterval() {
		return this.pollInterval;
	}

	/**
	 * {@code lookupd_poll_jitter} (default 0.3, 0..1): share of the interval used as
	 * random start delay.
	 */
	public double getPollJitter() {
		return this.pollJitter;
	}

	/**
	 * {@code lookupd_poll_timeout} (default 60s, more than 0): timeout of one nsqlookupd
	 * query.
	 */
	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	/**
	 * go-nsq's {@code skip_lookupd_authorization} (default true): despite the name,
	 * {@code true} means the auth secret ({@link NsqConnectionConfig#getAuthSecret()}) is
	 * sent to nsqlookupd as a bearer token.
	 */
	public boolean isAuthorization() {
		return this.authorization;
	}

	@Override
	public String toString() {
		return "NsqLookupdConfig[lookupd_poll_interval=" + GoDurations.format(this.pollInterval)
				+ ", lookupd_poll_jitter=" + this.pollJitter + ", lookupd_poll_timeout="
				+ GoDurations.format(this.pollTimeout) + ", skip_lookupd_authorization=" + this.authorization + "]";
	}

	/**
	 * Builder of {@link NsqLookupdConfig}, starting from go-nsq's defaults. Values are
	 * checked in {@link #build()}.
	 */
	public static final class Builder {

		private Duration pollInterval = Duration.ofSeconds(60);

		private double pollJitter = 0.3;

		private Duration pollTimeout = Duration.ofSeconds(60);

		private boolean authorization = true;

		private Builder() {
		}

		private Builder(NsqLookupdConfig c) {
			this.pollInterval = c.pollInterval;
			this.pollJitter = c.pollJitter;
			this.pollTimeout = c.pollTimeout;
			this.authorization = c.authorization;
		}

		/**
		 * Set a go-nsq option of this section by name.
		 * @return {@code false} when the option is not an nsqlookupd option
		 */
		boolean setOption(String option, Object value) {
			switch (option) {
				case "lookupd_poll_interval" -> this.pollInterval = duration(option, value);
				case "lookupd_poll_jitter" -> this.pollJitter = decimal(option, value);
				case "lookupd_poll_timeout" -> this.pollTimeout = duration(option, value);
				case "skip_lookupd_authorization" -> this.authorization = bool(option, value);
				default -> {
					return false;
				}
			}
			return true;
		}

		/**
		 * {@code lookupd_poll_interval}, see {@link NsqLookupdConfig#getPollInterval()}.
		 * @param pollInterval the period
		 * @return this builder
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
			return this;
		}

		/**
		 * {@code lookupd_poll_jitter}, see {@link NsqLookupdConfig#getPollJitter()}.
		 * @param pollJitter 0 to 1
		 * @return this builder
		 */
		public Builder pollJitter(double pollJitter) {
			this.pollJitter = pollJitter;
			return this;
		}

		/**
		 * {@code lookupd_poll_timeout}, see {@link NsqLookupdConfig#getPollTimeout()}.
		 * @param pollTimeout the timeout
		 * @return this builder
		 */
		public Builder pollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
			return this;
		}

		/**
		 * {@code skip_lookupd_authorization}, see
		 * {@link NsqLookupdConfig#isAuthorization()}.
		 * @param authorization whether the auth secret is sent to nsqlookupd
		 * @return this builder
		 */
		public Builder authorization(boolean authorization) {
			this.authorization = authorization;
			return this;
		}

		/**
		 * Validate every option, then build.
		 * @return the settings
		 * @throws io.github.nsqspring.core.NsqConfigException naming the first invalid
		 * option, its value and the allowed range
		 */
		public NsqLookupdConfig build() {
			range("lookupd_poll_interval", this.pollInterval, Duration.ofMillis(10), Duration.ofMinutes(5));
			if (!(this.pollJitter >= 0 && this.pollJitter <= 1)) {
				throw outOfRange("lookupd_poll_jitter", this.pollJitter, "0 to 1");
			}
			positive("lookupd_poll_timeout", this.pollTimeout);
			return new NsqLookupdConfig(this);
		}

	}

}
