package io.github.nsqspring.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.nsqspring.test.auth.NsqAuthorizer;

/**
 * The server-side limits and features of an nsqd, named after nsqd 1.3's command line
 * flags and with the same defaults. Both the embedded nsqd and real {@code nsqd}
 * processes started by {@code ProcessNsqCluster} are configured from one instance, so a
 * contract test sees the same limits on both.
 * <p>
 * Instances are immutable; use {@link #builder()} or {@link #toBuilder()}.
 */
public final class NsqdOptions {

	/** nsqd's default options. */
	public static final NsqdOptions DEFAULTS = builder().build();

	private final long maxRdyCount;

	private final long maxMsgSize;

	private final long maxBodySize;

	private final Duration msgTimeout;

	private final Duration maxMsgTimeout;

	private final Duration maxReqTimeout;

	private final Duration maxHeartbeatInterval;

	private final int maxOutputBufferSize;

	private final Duration maxOutputBufferTimeout;

	private final Duration minOutputBufferTimeout;

	private final Duration outputBufferTimeout;

	private final int maxDeflateLevel;

	private final boolean deflate;

	private final boolean snappy;

	private final boolean tls;

	private final boolean tlsRequired;

	private final NsqAuthorizer authorizer;

	private final int memQueueSize;

	private final int maxChannelConsumers;

	private final int syncEvery;

	private final int nodeId;

	private final List<String> lookupdTcpAddresses;

	private NsqdOptions(Builder b) {
		this.maxRdyCount = b.maxRdyCount;
		this.maxMsgSize = b.maxMsgSize;
		this.maxBodySize = b.maxBodySize;
		this.msgTimeout = b.msgTimeout;
		this.maxMsgTimeout = b.maxMsgTimeout;
		this.maxReqTimeout = b.maxReqTimeout;
		this.maxHeartbeatInterval = b.maxHeartbeatInterval;
		this.maxOutputBufferSize = b.maxOutputBufferSize;
		this.maxOutputBufferTimeout = b.maxOutputBufferTimeout;
		this.minOutputBufferTimeout = b.minOutputBufferTimeout;
		this.outputBufferTimeout = b.outputBufferTimeout;
		this.maxDeflateLevel = b.maxDeflateLevel;
		this.deflate = b.deflate;
		this.snappy = b.snappy;
		this.tls = b.tls || b.tlsRequired;
		this.tlsRequired = b.tlsRequired;
		this.authorizer = b.authorizer;
		this.memQueueSize = b.memQueueSize;
		this.maxChannelConsumers = b.maxChannelConsumers;
		this.syncEvery = b.syncEvery;
		this.nodeId = b.nodeId;
		this.lookupdTcpAddresses = List.copyOf(b.lookupdTcpAddresses);
	}

	/**
	 * A builder holding nsqd's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder initialised from this instance.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder b = new Builder();
		b.maxRdyCount = this.maxRdyCount;
		b.maxMsgSize = this.maxMsgSize;
		b.maxBodySize = this.maxBodySize;
		b.msgTimeout = this.msgTimeout;
		b.maxMsgTimeout = this.maxMsgTimeout;
		b.maxReqTimeout = this.maxReqTimeout;
		b.maxHeartbeatInterval = this.maxHeartbeatInterval;
		b.maxOutputBufferSize = this.maxOutputBufferSize;
		b.maxOutputBufferTimeout = this.maxOutputBufferTimeout;
		b.minOutputBufferTimeout = this.minOutputBufferTimeout;
		b.outputBufferTimeout = this.outputBufferTimeout;
		b.maxDeflateLevel = this.maxDeflateLevel;
		b.deflate = this.deflate;
		b.snappy = this.snappy;
		b.tls = this.tls;
		b.tlsRequired = this.tlsRequired;
		b.authorizer = this.authorizer;
		b.memQueueSize = this.memQueueSize;
		b.maxChannelConsumers = this.maxChannelConsumers;
		b.syncEvery = this.syncEvery;
		b.nodeId = this.nodeId;
		b.lookupdTcpAddresses = new ArrayList<>(this.lookupdTcpAddresses);
		return b;
	}

	/**
	 * @return {@code --max-rdy-count} (default 2500)
	 */
	public long maxRdyCount() {
		return this.maxRdyCount;
	}

	/**
	 * @return {@code --max-msg-size} in bytes (default 1048576)
	 */
	public long maxMsgSize() {
		return this.maxMsgSize;
	}

	/**
	 * @return {@code --max-body-size} in bytes (default 5242880)
	 */
	public long maxBodySize() {
		return this.maxBodySize;
	}

	/**
	 * @return {@code --msg-timeout} (default 60s)
	 */
	public Duration msgTimeout() {
		return this.msgTimeout;
	}

	/**
	 * @return {@code --max-msg-timeout} (default 15m)
	 */
	public Duration maxMsgTimeout() {
		return this.maxMsgTimeout;
	}

	/**
	 * @return {@code --max-req-timeout} (default 1h)
	 */
	public Duration maxReqTimeout() {
		return this.maxReqTimeout;
	}

	/**
	 * @return {@code --max-heartbeat-interval} (default 60s)
	 */
	public Duration maxHeartbeatInterval() {
		return this.maxHeartbeatInterval;
	}

	/**
	 * @return {@code --max-output-buffer-size} (default 65536)
	 */
	public int maxOutputBufferSize() {
		return this.maxOutputBufferSize;
	}

	/**
	 * @return {@code --max-output-buffer-timeout} (default 30s)
	 */
	public Duration maxOutputBufferTimeout() {
		return this.maxOutputBufferTimeout;
	}

	/**
	 * @return {@code --min-output-buffer-timeout} (default 25ms)
	 */
	public Duration minOutputBufferTimeout() {
		return this.minOutputBufferTimeout;
	}

	/**
	 * @return {@code --output-buffer-timeout} (default 250ms)
	 */
	public Duration outputBufferTimeout() {
		return this.outputBufferTimeout;
	}

	/**
	 * @return {@code --max-deflate-level} (default 6)
	 */
	public int maxDeflateLevel() {
		return this.maxDeflateLevel;
	}

	/**
	 * @return {@code --deflate}: whether clients may negotiate deflate (default true)
	 */
	public boolean deflate() {
		return this.deflate;
	}

	/**
	 * @return {@code --snappy}: whether clients may negotiate snappy (default true)
	 */
	public boolean snappy() {
		return this.snappy;
	}

	/**
	 * Whether TLS can be negotiated, with the test certificate shipped in this module
	 * ({@code --tls-cert}/{@code --tls-key}). Default false.
	 * @return whether TLS is available
	 */
	public boolean tls() {
		return this.tls;
	}

	/**
	 * @return {@code --tls-required=true} (default false); implies {@link #tls()}
	 */
	public boolean tlsRequired() {
		return this.tlsRequired;
	}

	/**
	 * The authorizer that answers AUTH, or {@code null} when auth is disabled (default).
	 * @return the authorizer or {@code null}
	 */
	public NsqAuthorizer authorizer() {
		return this.authorizer;
	}

	/**
	 * @return {@code --mem-queue-size} (default 10000)
	 */
	public int memQueueSize() {
		return this.memQueueSize;
	}

	/**
	 * @return {@code --max-channel-consumers} (default 0 = unlimited)
	 */
	public int maxChannelConsumers() {
		return this.maxChannelConsumers;
	}

	/**
	 * @return {@code --sync-every} (default 2500)
	 */
	public int syncEvery() {
		return this.syncEvery;
	}

	/**
	 * @return {@code --node-id} 0..1023, or -1 to pick one per node (default)
	 */
	public int nodeId() {
		return this.nodeId;
	}

	/**
	 * @return {@code --lookupd-tcp-address} values (default none)
	 */
	public List<String> lookupdTcpAddresses() {
		return this.lookupdTcpAddresses;
	}

	/**
	 * Builder for {@link NsqdOptions}; every setter is named after the nsqd flag it
	 * mirrors.
	 */
	public static final class Builder {

		private long maxRdyCount = 2500;

		private long maxMsgSize = 1024 * 1024;

		private long maxBodySize = 5 * 1024 * 1024;

		private Duration msgTimeout = Duration.ofSeconds(60);

		private Duration maxMsgTimeout = Duration.ofMinutes(15);

		private Duration maxReqTimeout = Duration.ofHours(1);

		private Duration maxHeartbeatInterval = Duration.ofSeconds(60);

		private int maxOutputBufferSize = 65536;

		private Duration maxOutputBufferTimeout = Duration.ofSeconds(30);

		private Duration minOutputBufferTimeout = Duration.ofMillis(25);

		private Duration outputBufferTimeout = Duration.ofMillis(250);

		private int maxDeflateLevel = 6;

		private boolean deflate = true;

		private boolean snappy = true;

		private boolean tls;

		private boolean tlsRequired;

		private NsqAuthorizer authorizer;

		private int memQueueSize = 10000;

		private int maxChannelConsumers;

		private int syncEvery = 2500;

		private int nodeId = -1;

		private List<String> lookupdTcpAddresses = new ArrayList<>();

		private Builder() {
		}

		/**
		 * {@code --max-rdy-count}.
		 * @param value at least 1
		 * @return this builder
		 */
		public Builder maxRdyCount(long value) {
			this.maxRdyCount = positive("max-rdy-count", value);
			return this;
		}

		/**
		 * {@code --max-msg-size}.
		 * @param bytes at least 1
		 * @return this builder
		 */
		public Builder maxMsgSize(long bytes) {
			this.maxMsgSize = positive("max-msg-size", bytes);
			return this;
		}

		/**
		 * {@code --max-body-size}.
		 * @param bytes at least 1
		 * @return this builder
		 */
		public Builder maxBodySize(long bytes) {
			this.maxBodySize = positive("max-body-size", bytes);
			return this;
		}

		/**
		 * {@code --msg-timeout}: default in-flight timeout.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder msgTimeout(Duration value) {
			this.msgTimeout = positive("msg-timeout", value);
			return this;
		}

		/**
		 * {@code --max-msg-timeout}: cap for IDENTIFY msg_timeout and TOUCH.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder maxMsgTimeout(Duration value) {
			this.maxMsgTimeout = positive("max-msg-timeout", value);
			return this;
		}

		/**
		 * {@code --max-req-timeout}: REQ clamp, DPUB and HTTP defer upper bound.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder maxReqTimeout(Duration value) {
			this.maxReqTimeout = positive("max-req-timeout", value);
			return this;
		}

		/**
		 * {@code --max-heartbeat-interval}.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder maxHeartbeatInterval(Duration value) {
			this.maxHeartbeatInterval = positive("max-heartbeat-interval", value);
			return this;
		}

		/**
		 * {@code --max-output-buffer-size}. Only validated against, the embedded nsqd
		 * flushes as soon as nothing more is pending.
		 * @param bytes at least 64
		 * @return this builder
		 */
		public Builder maxOutputBufferSize(int bytes) {
			this.maxOutputBufferSize = (int) positive("max-output-buffer-size", bytes);
			return this;
		}

		/**
		 * {@code --max-output-buffer-timeout}. Only validated against.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder maxOutputBufferTimeout(Duration value) {
			this.maxOutputBufferTimeout = positive("max-output-buffer-timeout", value);
			return this;
		}

		/**
		 * {@code --min-output-buffer-timeout}. Only validated against.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder minOutputBufferTimeout(Duration value) {
			this.minOutputBufferTimeout = positive("min-output-buffer-timeout", value);
			return this;
		}

		/**
		 * {@code --output-buffer-timeout}. Reported in IDENTIFY, otherwise ignored.
		 * @param value at least 1 ms
		 * @return this builder
		 */
		public Builder outputBufferTimeout(Duration value) {
			this.outputBufferTimeout = positive("output-buffer-timeout", value);
			return this;
		}

		/**
		 * {@code --max-deflate-level}.
		 * @param level 1..9
		 * @return this builder
		 */
		public Builder maxDeflateLevel(int level) {
			if (level < 1 || level > 9) {
				throw new IllegalArgumentException("max-deflate-level must be 1..9, was " + level);
			}
			this.maxDeflateLevel = level;
			return this;
		}

		/**
		 * {@code --deflate}.
		 * @param enabled whether clients may negotiate deflate
		 * @return this builder
		 */
		public Builder deflate(boolean enabled) {
			this.deflate = enabled;
			return this;
		}

		/**
		 * {@code --snappy}. The embedded nsqd needs snappy-java on the class path to
		 * honour it; without it snappy is reported as not negotiated.
		 * @param enabled whether clients may negotiate snappy
		 * @return this builder
		 */
		public Builder snappy(boolean enabled) {
			this.snappy = enabled;
			return this;
		}

		/**
		 * Offer TLS with the test certificate shipped in this module.
		 * @param enabled whether TLS can be negotiated
		 * @return this builder
		 */
		public Builder tls(boolean enabled) {
			this.tls = enabled;
			return this;
		}

		/**
		 * {@code --tls-required=true}: every command but IDENTIFY needs TLS first, and
		 * the plain HTTP port answers 403. Implies {@link #tls(boolean) tls(true)}.
		 * @param required whether TLS is required
		 * @return this builder
		 */
		public Builder tlsRequired(boolean required) {
			this.tlsRequired = required;
			return this;
		}

		/**
		 * Enable AUTH ({@code --auth-http-address}) answered by {@code authorizer}.
		 * @param authorizer the authorizer, {@code null} to disable auth
		 * @return this builder
		 */
		public Builder authorizer(NsqAuthorizer authorizer) {
			this.authorizer = authorizer;
			return this;
		}

		/**
		 * {@code --mem-queue-size}: only ephemeral topics and channels observe it (they
		 * drop messages beyond it); other queues are unbounded in memory.
		 * @param size at least 0
		 * @return this builder
		 */
		public Builder memQueueSize(int size) {
			if (size < 0) {
				throw new IllegalArgumentException("mem-queue-size must be >= 0, was " + size);
			}
			this.memQueueSize = size;
			return this;
		}

		/**
		 * {@code --max-channel-consumers}.
		 * @param max 0 for unlimited
		 * @return this builder
		 */
		public Builder maxChannelConsumers(int max) {
			if (max < 0) {
				throw new IllegalArgumentException("max-channel-consumers must be >= 0, was " + max);
			}
			this.maxChannelConsumers = max;
			return this;
		}

		/**
		 * {@code --sync-every}: messages written to a disk queue between fsyncs. The
		 * embedded nsqd keeps every queue in memory and ignores it.
		 * @param messages at least 1
		 * @return this builder
		 */
		public Builder syncEvery(int messages) {
			this.syncEvery = (int) positive("sync-every", messages);
			return this;
		}

		/**
		 * {@code --node-id}, used in message ids.
		 * @param id 0..1023, or -1 to let each node pick a distinct one
		 * @return this builder
		 */
		public Builder nodeId(int id) {
			if (id < -1 || id > 1023) {
				throw new IllegalArgumentException("node-id must be 0..1023, was " + id);
			}
			this.nodeId = id;
			return this;
		}

		/**
		 * {@code --lookupd-tcp-address}: nsqlookupd TCP addresses to register with.
		 * Clusters fill this in themselves.
		 * @param addresses {@code host:port} values
		 * @return this builder
		 */
		public Builder lookupdTcpAddresses(List<String> addresses) {
			this.lookupdTcpAddresses = new ArrayList<>(Objects.requireNonNull(addresses));
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public NsqdOptions build() {
			return new NsqdOptions(this);
		}

		private static long positive(String name, long value) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be >= 1, was " + value);
			}
			return value;
		}

		private static Duration positive(String name, Duration value) {
			if (value == null || value.toMillis() < 1) {
				throw new IllegalArgumentException(name + " must be >= 1ms, was " + value);
			}
			return value;
		}

	}

}
