package io.github.nsqspring.core.config;

import java.time.Duration;
import java.util.Objects;

import io.github.nsqspring.core.NsqConfigException;

/**
 * How a producer publishes: how it picks among several nsqd, how many publishes may await
 * nsqd's answer, how long callers wait, the limits nsqd enforces (checked before a
 * message is sent), reconnect delays and how PUBs are batched. These are this client's
 * options, not go-nsq's: go-nsq has no producer-only option, so none of them is accepted
 * by {@link NsqConfig.Builder#set(String, Object)}. Immutable and thread-safe. Usually
 * part of an {@link NsqConfig} ({@link NsqConfig#producer()}); build one alone with
 * {@link #builder()}. An invalid value fails in {@link Builder#build()} with a
 * {@link NsqConfigException} naming the setting and the value.
 */
public final class NsqProducerConfig {

	/** nsqd's default {@code --max-msg-size}. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** nsqd's default {@code --max-body-size}. */
	public static final int DEFAULT_MAX_BODY_SIZE = 5 * 1024 * 1024;

	/** nsqd's default {@code --max-req-timeout}. */
	public static final Duration DEFAULT_MAX_DEFER_DELAY = Duration.ofHours(1);

	/**
	 * How long a synchronous publish polls for its answer before parking, unless
	 * configured otherwise. nsqd answers over loopback in 40–100 µs.
	 */
	public static final Duration DEFAULT_SYNC_WAIT_SPIN = Duration.ofNanos(100_000);

	/** The longest {@code syncWaitSpin}: past it, parking costs nothing noticeable. */
	public static final Duration MAX_SYNC_WAIT_SPIN = Duration.ofMillis(10);

	private final PublishStrategy strategy;

	private final int maxPendingCommands;

	private final Duration pendingTimeout;

	private final Duration closeTimeout;

	private final int maxMessageSize;

	private final int maxBodySize;

	private final Duration maxDeferDelay;

	private final Duration minReconnectDelay;

	private final Duration maxReconnectDelay;

	private final boolean coalescePublishes;

	private final Duration syncWaitSpin;

	private NsqProducerConfig(Builder b) {
		this.strategy = b.strategy;
		this.maxPendingCommands = b.maxPendingCommands;
		this.pendingTimeout = b.pendingTimeout;
		this.closeTimeout = b.closeTimeout;
		this.maxMessageSize = b.maxMessageSize;
		this.maxBodySize = b.maxBodySize;
		this.maxDeferDelay = b.maxDeferDelay;
		this.minReconnectDelay = b.minReconnectDelay;
		this.maxReconnectDelay = b.maxReconnectDelay;
		this.coalescePublishes = b.coalescePublishes;
		this.syncWaitSpin = b.syncWaitSpin;
	}

	/**
	 * A builder with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The producer settings with every default.
	 * @return the settings
	 */
	public static NsqProducerConfig defaults() {
		return builder().build();
	}

	/**
	 * A builder holding these settings, to derive a changed copy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** How a producer over several nsqd picks a node (default round robin). */
	public PublishStrategy getStrategy() {
		return this.strategy;
	}

	/**
	 * Most publish calls awaiting nsqd's answer per connection (default 10000, at least
	 * 1); see {@link Builder#maxPendingCommands(int)}.
	 */
	public int getMaxPendingCommands() {
		return this.maxPendingCommands;
	}

	/** Longest a publish waits for room among pending commands (default 5s). */
	public Duration getPendingTimeout() {
		return this.pendingTimeout;
	}

	/** Longest a producer's close waits for answers already owed (default 5s). */
	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	/** The largest message body nsqd accepts, its {@code --max-msg-size} (1048576). */
	public int getMaxMessageSize() {
		return this.maxMessageSize;
	}

	/** The largest MPUB body nsqd accepts, its {@code --max-body-size} (5242880). */
	public int getMaxBodySize() {
		return this.maxBodySize;
	}

	/** The longest DPUB delay nsqd accepts, its {@code --max-req-timeout} (1h). */
	public Duration getMaxDeferDelay() {
		return this.maxDeferDelay;
	}

	/** The delay after the first failed connect (default 100ms). */
	public Duration getMinReconnectDelay() {
		return this.minReconnectDelay;
	}

	/** The cap of the doubling reconnect delay (default 10s). */
	public Duration getMaxReconnectDelay() {
		return this.maxReconnectDelay;
	}

	/** Whether PUBs may travel together as one MPUB (default {@code true}). */
	public boolean isCoalescePublishes() {
		return this.coalescePublishes;
	}

	/**
	 * How long a synchronous publish polls for nsqd's answer before it parks (default
	 * 100µs, 0 to 10ms); see {@link Builder#syncWaitSpin(Duration)}.
	 */
	public Duration getSyncWaitSpin() {
		return this.syncWaitSpin;
	}

	@Override
	public String toString() {
		return "NsqProducerConfig[strategy=" + this.strategy + ", max_pending_commands=" + this.maxPendingCommands
				+ ", pending_timeout=" + GoDurations.format(this.pendingTimeout) + ", close_timeout="
				+ GoDurations.format(this.closeTimeout) + ", max_message_size=" + this.maxMessageSize
				+ ", max_body_size=" + this.maxBodySize + ", max_defer_delay=" + GoDurations.format(this.maxDeferDelay)
				+ ", reconnect_delay=" + GoDurations.format(this.minReconnectDelay) + ".."
				+ GoDurations.format(this.maxReconnectDelay) + ", coalesce_publishes=" + this.coalescePublishes
				+ ", sync_wait_spin=" + GoDurations.format(this.syncWaitSpin) + "]";
	}

	/**
	 * Builder of {@link NsqProducerConfig}, starting from the defaults. Values are
	 * checked in {@link #build()}.
	 */
	public static final class Builder {

		private PublishStrategy strategy = PublishStrategy.ROUND_ROBIN;

		private int maxPendingCommands = 10_000;

		private Duration pendingTimeout = Duration.ofSeconds(5);

		private Duration closeTimeout = Duration.ofSeconds(5);

		private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

		private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

		private Duration maxDeferDelay = DEFAULT_MAX_DEFER_DELAY;

		private Duration minReconnectDelay = Duration.ofMillis(100);

		private Duration maxReconnectDelay = Duration.ofSeconds(10);

		private boolean coalescePublishes = true;

		private Duration syncWaitSpin = DEFAULT_SYNC_WAIT_SPIN;

		private Builder() {
		}

		private Builder(NsqProducerConfig c) {
			this.strategy = c.strategy;
			this.maxPendingCommands = c.maxPendingCommands;
			this.pendingTimeout = c.pendingTimeout;
			this.closeTimeout = c.closeTimeout;
			this.maxMessageSize = c.maxMessageSize;
			this.maxBodySize = c.maxBodySize;
			this.maxDeferDelay = c.maxDeferDelay;
			this.minReconnectDelay = c.minReconnectDelay;
			this.maxReconnectDelay = c.maxReconnectDelay;
			this.coalescePublishes = c.coalescePublishes;
			this.syncWaitSpin = c.syncWaitSpin;
		}

		/**
		 * How a producer over several nsqd picks a node (default round robin).
		 * @param strategy the strategy
		 * @return this builder
		 */
		public Builder strategy(PublishStrategy strategy) {
			this.strategy = Objects.requireNonNull(strategy, "strategy");
			return this;
		}

		/**
		 * Most publish calls awaiting nsqd's answer per connection (default 10000; a PUB
		 * coalesced into an MPUB counts as one call, a user's MPUB as one). When reached,
		 * a publish waits up to {@link #pendingTimeout(Duration)} for room, then fails
		 * with {@link io.github.nsqspring.core.NsqTimeoutException} without sending
		 * anything. This bounds the memory held for unanswered publishes; it also keeps
		 * the answers nsqd owes well within a socket buffer, so nsqd never stalls writing
		 * them.
		 * @param maxPendingCommands at least 1
		 * @return this builder
		 */
		public Builder maxPendingCommands(int maxPendingCommands) {
			this.maxPendingCommands = maxPendingCommands;
			return this;
		}

		/**
		 * Longest a publish waits for room among pending commands (default 5s).
		 * @param pendingTimeout the timeout
		 * @return this builder
		 */
		public Builder pendingTimeout(Duration pendingTimeout) {
			this.pendingTimeout = Objects.requireNonNull(pendingTimeout, "pendingTimeout");
			return this;
		}

		/**
		 * Longest a producer's {@code close()} waits for answers already owed (default
		 * 5s).
		 * @param closeTimeout the timeout
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
			return this;
		}

		/**
		 * The largest message body nsqd accepts, its {@code --max-msg-size} (default
		 * 1048576, nsqd's default). A larger message fails its call with
		 * {@link io.github.nsqspring.core.NsqInvalidMessageException} before it is sent,
		 * since nsqd would answer with a fatal error that closes the connection every
		 * caller shares.
		 * @param maxMessageSize bytes, at least 1
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * The largest MPUB body nsqd accepts, its {@code --max-body-size} (default
		 * 5242880, nsqd's default); the body is {@code 4 + Σ(4 + message size)}. A larger
		 * batch fails its call before it is sent.
		 * @param maxBodySize bytes, at least 1
		 * @return this builder
		 */
		public Builder maxBodySize(int maxBodySize) {
			this.maxBodySize = maxBodySize;
			return this;
		}

		/**
		 * The longest DPUB delay nsqd accepts, its {@code --max-req-timeout} (default 1h,
		 * nsqd's default). A longer delay fails its call before it is sent.
		 * @param maxDeferDelay the limit
		 * @return this builder
		 */
		public Builder maxDeferDelay(Duration maxDeferDelay) {
			this.maxDeferDelay = Objects.requireNonNull(maxDeferDelay, "maxDeferDelay");
			return this;
		}

		/**
		 * The delay after a failed connect before the next attempt: {@code min} after the
		 * first failure, doubling with each further one up to {@code max} (defaults 100ms
		 * and 10s). Publishes to that nsqd fail at once in the meantime (a producer over
		 * several nsqd uses the others).
		 * @param min first delay
		 * @param max cap
		 * @return this builder
		 */
		public Builder reconnectDelay(Duration min, Duration max) {
			this.minReconnectDelay = Objects.requireNonNull(min, "min");
			this.maxReconnectDelay = Objects.requireNonNull(max, "max");
			return this;
		}

		/**
		 * Whether PUBs may travel together as one MPUB (default {@code true}). A publish
		 * that finds nothing in flight goes out at once as a PUB; publishes to the same
		 * topic that arrive while earlier commands await nsqd's answer are gathered and
		 * sent as one MPUB as soon as the pipeline has room, so the batch grows with the
		 * load and a lone publish never waits. nsqd then writes one answer instead of one
		 * per message, which is most of its cost per PUB. Each caller still gets its own
		 * result; the messages of one MPUB are published all together or not at all, in
		 * publish order. Consumers see the same messages either way.
		 * @param coalescePublishes {@code false} to send every publish as its own PUB
		 * @return this builder
		 */
		public Builder coalescePublishes(boolean coalescePublishes) {
			this.coalescePublishes = coalescePublishes;
			return this;
		}

		/**
		 * How long a synchronous publish ({@code publish}, {@code multiPublish},
		 * {@code deferredPublish}) polls for nsqd's answer, yielding its core between
		 * polls, before it parks its thread (default 100 µs; nsqd on the same host or LAN
		 * answers within that). A parked caller has to be woken by whatever completes its
		 * future (the connection's reader thread), which costs that thread a futex call
		 * and the caller a context switch; polling avoids both while a core is free to
		 * poll on. Polling keeps a core busy while the caller waits, though yielding lets
		 * any other runnable thread have it; when more callers wait than there are cores,
		 * now or on average over the recent calls, they park at once instead (polling
		 * would only take the cores nsqd and the reader need, and their publishes travel
		 * in large batches anyway). Polling adapts per producer and per kind of call:
		 * while the answers of one kind keep coming after the poll has run out (an MPUB
		 * of a large batch, a slow nsqd), its callers park at once, and one call in
		 * sixteen polls again to notice faster answers; and where parked calls wait less
		 * than a quarter longer than answered polls (threads that wake quickly), polling
		 * buys no time and its callers park too. Use {@link Duration#ZERO} to park at
		 * once, for example when nsqd is far away or CPU time is scarcer than latency.
		 * Callers on virtual threads (Java 21+) always park at once: parking one is
		 * cheap, while polling would unmount and remount it on every yield.
		 * @param syncWaitSpin from 0 to 10ms
		 * @return this builder
		 */
		public Builder syncWaitSpin(Duration syncWaitSpin) {
			this.syncWaitSpin = Objects.requireNonNull(syncWaitSpin, "syncWaitSpin");
			return this;
		}

		/**
		 * Validate every setting, then build.
		 * @return the settings
		 * @throws NsqConfigException naming the first invalid setting and its value
		 */
		public NsqProducerConfig build() {
			requirePositive(this.maxPendingCommands, "maxPendingCommands");
			requirePositive(this.maxMessageSize, "maxMessageSize");
			requirePositive(this.maxBodySize, "maxBodySize");
			requireNotNegative(this.pendingTimeout, "pendingTimeout");
			requireNotNegative(this.closeTimeout, "closeTimeout");
			requireNotNegative(this.maxDeferDelay, "maxDeferDelay");
			requireNotNegative(this.minReconnectDelay, "reconnectDelay min");
			requireNotNegative(this.syncWaitSpin, "syncWaitSpin");
			if (this.syncWaitSpin.compareTo(MAX_SYNC_WAIT_SPIN) > 0) {
				throw new NsqConfigException("syncWaitSpin must be at most " + MAX_SYNC_WAIT_SPIN.toNanos() / 1000
						+ "µs, was " + this.syncWaitSpin.toNanos() / 1000 + "µs");
			}
			if (this.maxReconnectDelay.compareTo(this.minReconnectDelay) < 0) {
				throw new NsqConfigException(
						"reconnectDelay max " + this.maxReconnectDelay + " is below min " + this.minReconnectDelay);
			}
			return new NsqProducerConfig(this);
		}

		private static void requirePositive(int value, String name) {
			if (value < 1) {
				throw new NsqConfigException(name + " must be at least 1, was " + value);
			}
		}

		private static void requireNotNegative(Duration value, String name) {
			if (value.isNegative()) {
				throw new NsqConfigException(name + " must not be negative, was " + value);
			}
		}

	}

}
