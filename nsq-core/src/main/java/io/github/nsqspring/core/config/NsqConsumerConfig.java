package io.github.nsqspring.core.config;

import java.time.Duration;

import static io.github.nsqspring.core.config.OptionChecks.range;
import static io.github.nsqspring.core.config.OptionChecks.required;
import static io.github.nsqspring.core.config.OptionValues.duration;
import static io.github.nsqspring.core.config.OptionValues.integer;

/**
 * How a consumer takes messages: how many it holds at once, how often one is tried,
 * requeue delays, backoff, RDY redistribution, the in-flight timeout it asks nsqd for and
 * the largest message it accepts. go-nsq's names, defaults and limits (reference: go-nsq
 * {@code config.go}); immutable and thread-safe. Usually part of an {@link NsqConfig}
 * ({@link NsqConfig#consumer()}); build one alone with {@link #builder()}.
 * <p>
 * An invalid value fails in {@link Builder#build()} with a
 * {@link io.github.nsqspring.core.NsqConfigException} naming the option, the value and
 * the allowed range. A non-zero {@code msg_timeout} below one second, which nsqd would
 * reject with {@code E_BAD_BODY}, is rejected here.
 */
public final class NsqConsumerConfig {

	private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

	private static final Duration SIXTY_MINUTES = Duration.ofMinutes(60);

	private final int maxInFlight;

	private final int maxAttempts;

	private final Duration defaultRequeueDelay;

	private final Duration maxRequeueDelay;

	private final BackoffStrategy backoffStrategy;

	private final Duration backoffMultiplier;

	private final Duration maxBackoffDuration;

	private final Duration lowRdyIdleTimeout;

	private final Duration lowRdyTimeout;

	private final Duration rdyRedistributeInterval;

	private final Duration msgTimeout;

	private final int maxMsgSize;

	private NsqConsumerConfig(Builder b) {
		this.maxInFlight = b.maxInFlight;
		this.maxAttempts = b.maxAttempts;
		this.defaultRequeueDelay = b.defaultRequeueDelay;
		this.maxRequeueDelay = b.maxRequeueDelay;
		this.backoffStrategy = b.backoffStrategy;
		this.backoffMultiplier = b.backoffMultiplier;
		this.maxBackoffDuration = b.maxBackoffDuration;
		this.lowRdyIdleTimeout = b.lowRdyIdleTimeout;
		this.lowRdyTimeout = b.lowRdyTimeout;
		this.rdyRedistributeInterval = b.rdyRedistributeInterval;
		this.msgTimeout = b.msgTimeout;
		this.maxMsgSize = b.maxMsgSize;
	}

	/**
	 * A builder with go-nsq's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The consumer settings with every default.
	 * @return the settings
	 */
	public static NsqConsumerConfig defaults() {
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
	 * {@code max_in_flight} (default 1, at least 0): messages a consumer may hold at
	 * once.
	 */
	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	/** {@code max_attempts} (default 5, 0..65535; 0 = unlimited). */
	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * {@code default_requeue_delay} (default 90s, 0..60m): automatic delay per attempt.
	 */
	public Duration getDefaultRequeueDelay() {
		return this.defaultRequeueDelay;
	}

	/**
	 * {@code max_requeue_delay} (default 15m, 0..60m): cap of the automatic requeue
	 * delay.
	 */
	public Duration getMaxRequeueDelay() {
		return this.maxRequeueDelay;
	}

	/** {@code backoff_strategy} (default exponential). */
	public BackoffStrategy getBackoffStrategy() {
		return this.backoffStrategy;
	}

	/** {@code backoff_multiplier} (default 1s, 0..60m): unit of backoff time. */
	public Duration getBackoffMultiplier() {
		return this.backoffMultiplier;
	}

	/** {@code max_backoff_duration} (default 2m, 0..60m; 0 disables backoff). */
	public Duration getMaxBackoffDuration() {
		return this.maxBackoffDuration;
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

	/**
	 * {@code msg_timeout} (default 0 = nsqd's default; else at least 1s): in-flight
	 * timeout, sent to nsqd in IDENTIFY.
	 */
	public Duration getMsgTimeout() {
		return this.msgTimeout;
	}

	/**
	 * {@code max_msg_size} (default 0 = no limit): largest frame accepted from nsqd; a
	 * larger one closes the connection.
	 */
	public int getMaxMsgSize() {
		return this.maxMsgSize;
	}

	@Override
	public String toString() {
		return "NsqConsumerConfig[max_in_flight=" + this.maxInFlight + ", max_attempts=" + this.maxAttempts
				+ ", default_requeue_delay=" + GoDurations.format(this.defaultRequeueDelay) + ", max_requeue_delay="
				+ GoDurations.format(this.maxRequeueDelay) + ", backoff_strategy=" + this.backoffStrategy
				+ ", backoff_multiplier=" + GoDurations.format(this.backoffMultiplier) + ", max_backoff_duration="
				+ GoDurations.format(this.maxBackoffDuration) + ", low_rdy_idle_timeout="
				+ GoDurations.format(this.lowRdyIdleTimeout) + ", low_rdy_timeout="
				+ GoDurations.format(this.lowRdyTimeout) + ", rdy_redistribute_interval="
				+ GoDurations.format(this.rdyRedistributeInterval) + ", msg_timeout="
				+ GoDurations.format(this.msgTimeout) + ", max_msg_size=" + this.maxMsgSize + "]";
	}

	/**
	 * Builder of {@link NsqConsumerConfig}, starting from go-nsq's defaults. Values are
	 * checked in {@link #build()}.
	 */
	public static final class Builder {

		private int maxInFlight = 1;

		private int maxAttempts = 5;

		private Duration defaultRequeueDelay = Duration.ofSeconds(90);

		private Duration maxRequeueDelay = Duration.ofMinutes(15);

		private BackoffStrategy backoffStrategy = BackoffStrategy.EXPONENTIAL;

		private Duration backoffMultiplier = Duration.ofSeconds(1);

		private Duration maxBackoffDuration = Duration.ofMinutes(2);

		private Duration lowRdyIdleTimeout = Duration.ofSeconds(10);

		private Duration lowRdyTimeout = Duration.ofSeconds(30);

		private Duration rdyRedistributeInterval = Duration.ofSeconds(5);

		private Duration msgTimeout = Duration.ZERO;

		private int maxMsgSize;

		private Builder() {
		}

		private Builder(NsqConsumerConfig c) {
			this.maxInFlight = c.maxInFlight;
			this.maxAttempts = c.maxAttempts;
			this.defaultRequeueDelay = c.defaultRequeueDelay;
			this.maxRequeueDelay = c.maxRequeueDelay;
			this.backoffStrategy = c.backoffStrategy;
			this.backoffMultiplier = c.backoffMultiplier;
			this.maxBackoffDuration = c.maxBackoffDuration;
			this.lowRdyIdleTimeout = c.lowRdyIdleTimeout;
			this.lowRdyTimeout = c.lowRdyTimeout;
			this.rdyRedistributeInterval = c.rdyRedistributeInterval;
			this.msgTimeout = c.msgTimeout;
			this.maxMsgSize = c.maxMsgSize;
		}

		/**
		 * Set a go-nsq option of this section by name.
		 * @return {@code false} when the option is not a consumer option
		 */
		boolean setOption(String option, Object value) {
			switch (option) {
				case "max_in_flight" -> this.maxInFlight = integer(option, value);
				case "max_attempts" -> this.maxAttempts = integer(option, value);
				case "default_requeue_delay" -> this.defaultRequeueDelay = duration(option, value);
				case "max_requeue_delay" -> this.maxRequeueDelay = duration(option, value);
				case "backoff_strategy" -> this.backoffStrategy = OptionValues.backoffStrategy(option, value);
				case "backoff_multiplier" -> this.backoffMultiplier = duration(option, value);
				case "max_backoff_duration" -> this.maxBackoffDuration = duration(option, value);
				case "low_rdy_idle_timeout" -> this.lowRdyIdleTimeout = duration(option, value);
				case "low_rdy_timeout" -> this.lowRdyTimeout = duration(option, value);
				case "rdy_redistribute_interval" -> this.rdyRedistributeInterval = duration(option, value);
				case "msg_timeout" -> this.msgTimeout = duration(option, value);
				case "max_msg_size" -> this.maxMsgSize = integer(option, value);
				default -> {
					return false;
				}
			}
			return true;
		}

		/**
		 * {@code max_in_flight}, see {@link NsqConsumerConfig#getMaxInFlight()}.
		 * @param maxInFlight at least 0
		 * @return this builder
		 */
		public Builder maxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
			return this;
		}

		/**
		 * {@code max_attempts}, see {@link NsqConsumerConfig#getMaxAttempts()}.
		 * @param maxAttempts 0 to 65535
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * {@code default_requeue_delay}, see
		 * {@link NsqConsumerConfig#getDefaultRequeueDelay()}.
		 * @param defaultRequeueDelay the delay per attempt
		 * @return this builder
		 */
		public Builder defaultRequeueDelay(Duration defaultRequeueDelay) {
			this.defaultRequeueDelay = defaultRequeueDelay;
			return this;
		}

		/**
		 * {@code max_requeue_delay}, see {@link NsqConsumerConfig#getMaxRequeueDelay()}.
		 * @param maxRequeueDelay the cap
		 * @return this builder
		 */
		public Builder maxRequeueDelay(Duration maxRequeueDelay) {
			this.maxRequeueDelay = maxRequeueDelay;
			return this;
		}

		/**
		 * {@code backoff_strategy}, see {@link NsqConsumerConfig#getBackoffStrategy()}.
		 * @param backoffStrategy the strategy
		 * @return this builder
		 */
		public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
			this.backoffStrategy = backoffStrategy;
			return this;
		}

		/**
		 * {@code backoff_multiplier}, see
		 * {@link NsqConsumerConfig#getBackoffMultiplier()}.
		 * @param backoffMultiplier the unit of backoff time
		 * @return this builder
		 */
		public Builder backoffMultiplier(Duration backoffMultiplier) {
			this.backoffMultiplier = backoffMultiplier;
			return this;
		}

		/**
		 * {@code max_backoff_duration}, see
		 * {@link NsqConsumerConfig#getMaxBackoffDuration()}.
		 * @param maxBackoffDuration the cap, 0 to disable backoff
		 * @return this builder
		 */
		public Builder maxBackoffDuration(Duration maxBackoffDuration) {
			this.maxBackoffDuration = maxBackoffDuration;
			return this;
		}

		/**
		 * {@code low_rdy_idle_timeout}, see
		 * {@link NsqConsumerConfig#getLowRdyIdleTimeout()}.
		 * @param lowRdyIdleTimeout the threshold
		 * @return this builder
		 */
		public Builder lowRdyIdleTimeout(Duration lowRdyIdleTimeout) {
			this.lowRdyIdleTimeout = lowRdyIdleTimeout;
			return this;
		}

		/**
		 * {@code low_rdy_timeout}, see {@link NsqConsumerConfig#getLowRdyTimeout()}.
		 * @param lowRdyTimeout the longest a grant is kept
		 * @return this builder
		 */
		public Builder lowRdyTimeout(Duration lowRdyTimeout) {
			this.lowRdyTimeout = lowRdyTimeout;
			return this;
		}

		/**
		 * {@code rdy_redistribute_interval}, see
		 * {@link NsqConsumerConfig#getRdyRedistributeInterval()}.
		 * @param rdyRedistributeInterval the period
		 * @return this builder
		 */
		public Builder rdyRedistributeInterval(Duration rdyRedistributeInterval) {
			this.rdyRedistributeInterval = rdyRedistributeInterval;
			return this;
		}

		/**
		 * {@code msg_timeout}, see {@link NsqConsumerConfig#getMsgTimeout()}.
		 * @param msgTimeout the timeout, 0 for nsqd's default
		 * @return this builder
		 */
		public Builder msgTimeout(Duration msgTimeout) {
			this.msgTimeout = msgTimeout;
			return this;
		}

		/**
		 * {@code max_msg_size}, see {@link NsqConsumerConfig#getMaxMsgSize()}.
		 * @param maxMsgSize bytes, 0 for no limit
		 * @return this builder
		 */
		public Builder maxMsgSize(int maxMsgSize) {
			this.maxMsgSize = maxMsgSize;
			return this;
		}

		/**
		 * Validate every option, then build.
		 * @return the settings
		 * @throws io.github.nsqspring.core.NsqConfigException naming the first invalid
		 * option, its value and the allowed range
		 */
		public NsqConsumerConfig build() {
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
			range("max_in_flight", this.maxInFlight, 0, Integer.MAX_VALUE);
			required("msg_timeout", this.msgTimeout);
			if (!this.msgTimeout.isZero()) {
				range("msg_timeout", this.msgTimeout, Duration.ofSeconds(1), Duration.ofDays(365),
						"0 (nsqd default) or 1s and more");
			}
			range("max_msg_size", this.maxMsgSize, 0, Integer.MAX_VALUE);
			return new NsqConsumerConfig(this);
		}

	}

}
