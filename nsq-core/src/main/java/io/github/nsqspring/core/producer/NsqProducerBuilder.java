package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;

import io.github.nsqspring.core.config.NsqConfig;

/**
 * Builds an {@link NsqProducer} for one nsqd, a fixed list of nsqd, or the nsqd that
 * nsqlookupd lists ({@code /nodes}, refreshed every {@code lookupd_poll_interval}).
 */
public final class NsqProducerBuilder {

	NsqConfig config = NsqConfig.defaults();

	final List<String> nsqdAddresses = new ArrayList<>();

	final List<String> lookupdAddresses = new ArrayList<>();

	PublishStrategy strategy = PublishStrategy.ROUND_ROBIN;

	int maxPendingCommands = 10_000;

	Duration pendingTimeout = Duration.ofSeconds(5);

	Duration closeTimeout = Duration.ofSeconds(5);

	int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

	int maxBodySize = DEFAULT_MAX_BODY_SIZE;

	Duration maxDeferDelay = DEFAULT_MAX_DEFER_DELAY;

	Duration minReconnectDelay = Duration.ofMillis(100);

	Duration maxReconnectDelay = Duration.ofSeconds(10);

	Executor callbackExecutor;

	boolean coalescePublishes = true;

	Duration syncWaitSpin = Futures.DEFAULT_SPIN;

	/** nsqd's default {@code --max-msg-size}. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** nsqd's default {@code --max-body-size}. */
	public static final int DEFAULT_MAX_BODY_SIZE = 5 * 1024 * 1024;

	/** nsqd's default {@code --max-req-timeout}. */
	public static final Duration DEFAULT_MAX_DEFER_DELAY = Duration.ofHours(1);

	NsqProducerBuilder() {
	}

	/**
	 * Connection settings (timeouts, TLS, compression, auth).
	 * @param config the configuration
	 * @return this builder
	 */
	public NsqProducerBuilder config(NsqConfig config) {
		this.config = Objects.requireNonNull(config, "config");
		return this;
	}

	/**
	 * Add nsqd TCP addresses ({@code host:port}, IPv6 as {@code [::1]:4150}).
	 * @param addresses the addresses
	 * @return this builder
	 */
	public NsqProducerBuilder nsqd(String... addresses) {
		return nsqd(List.of(addresses));
	}

	/**
	 * Add nsqd TCP addresses.
	 * @param addresses the addresses
	 * @return this builder
	 */
	public NsqProducerBuilder nsqd(List<String> addresses) {
		this.nsqdAddresses.addAll(addresses);
		return this;
	}

	/**
	 * Add nsqlookupd HTTP addresses whose {@code /nodes} list the nsqd to publish to.
	 * @param addresses the addresses ({@code host:port} or URLs)
	 * @return this builder
	 */
	public NsqProducerBuilder lookupd(String... addresses) {
		return lookupd(List.of(addresses));
	}

	/**
	 * Add nsqlookupd HTTP addresses.
	 * @param addresses the addresses
	 * @return this builder
	 */
	public NsqProducerBuilder lookupd(List<String> addresses) {
		this.lookupdAddresses.addAll(addresses);
		return this;
	}

	/**
	 * How a producer over several nsqd picks a node (default round robin).
	 * @param strategy the strategy
	 * @return this builder
	 */
	public NsqProducerBuilder strategy(PublishStrategy strategy) {
		this.strategy = Objects.requireNonNull(strategy, "strategy");
		return this;
	}

	/**
	 * Most publish calls awaiting nsqd's answer per connection (default 10000; a PUB
	 * coalesced into an MPUB counts as one call, a user's MPUB as one). When reached, a
	 * publish waits up to {@link #pendingTimeout(Duration)} for room, then fails with
	 * {@link io.github.nsqspring.core.NsqTimeoutException} without sending anything. This
	 * bounds the memory held for unanswered publishes; it also keeps the answers nsqd
	 * owes well within a socket buffer, so nsqd never stalls writing them.
	 * @param maxPendingCommands at least 1
	 * @return this builder
	 */
	public NsqProducerBuilder maxPendingCommands(int maxPendingCommands) {
		this.maxPendingCommands = maxPendingCommands;
		return this;
	}

	/**
	 * Longest a publish waits for room among pending commands (default 5s).
	 * @param pendingTimeout the timeout
	 * @return this builder
	 */
	public NsqProducerBuilder pendingTimeout(Duration pendingTimeout) {
		this.pendingTimeout = Objects.requireNonNull(pendingTimeout, "pendingTimeout");
		return this;
	}

	/**
	 * Longest {@link NsqProducer#close()} waits for answers already owed (default 5s).
	 * @param closeTimeout the timeout
	 * @return this builder
	 */
	public NsqProducerBuilder closeTimeout(Duration closeTimeout) {
		this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
		return this;
	}

	/**
	 * The largest message body nsqd accepts, its {@code --max-msg-size} (default 1048576,
	 * nsqd's default). A larger message fails its call with
	 * {@link io.github.nsqspring.core.NsqInvalidMessageException} before it is sent,
	 * since nsqd would answer with a fatal error that closes the connection every caller
	 * shares.
	 * @param maxMessageSize bytes, at least 1
	 * @return this builder
	 */
	public NsqProducerBuilder maxMessageSize(int maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
		return this;
	}

	/**
	 * The largest MPUB body nsqd accepts, its {@code --max-body-size} (default 5242880,
	 * nsqd's default); the body is {@code 4 + Σ(4 + message size)}. A larger batch fails
	 * its call before it is sent.
	 * @param maxBodySize bytes, at least 1
	 * @return this builder
	 */
	public NsqProducerBuilder maxBodySize(int maxBodySize) {
		this.maxBodySize = maxBodySize;
		return this;
	}

	/**
	 * The longest DPUB delay nsqd accepts, its {@code --max-req-timeout} (default 1h,
	 * nsqd's default). A longer delay fails its call before it is sent.
	 * @param maxDeferDelay the limit
	 * @return this builder
	 */
	public NsqProducerBuilder maxDeferDelay(Duration maxDeferDelay) {
		this.maxDeferDelay = Objects.requireNonNull(maxDeferDelay, "maxDeferDelay");
		return this;
	}

	/**
	 * The delay after a failed connect before the next attempt: {@code min} after the
	 * first failure, doubling with each further one up to {@code max} (defaults 100ms and
	 * 10s). Publishes to that nsqd fail at once in the meantime (a producer over several
	 * nsqd uses the others).
	 * @param min first delay
	 * @param max cap
	 * @return this builder
	 */
	public NsqProducerBuilder reconnectDelay(Duration min, Duration max) {
		this.minReconnectDelay = Objects.requireNonNull(min, "min");
		this.maxReconnectDelay = Objects.requireNonNull(max, "max");
		return this;
	}

	/**
	 * Where publish futures are completed. By default they are completed on the
	 * connection's reader thread ({@code nsq-reader-<address>}), the fastest option:
	 * dependent actions registered with the non-async {@code CompletableFuture} methods
	 * then run on that thread and must not block. Give an executor when callbacks may
	 * block.
	 * @param callbackExecutor the executor, or {@code null} for the reader thread
	 * @return this builder
	 */
	public NsqProducerBuilder callbackExecutor(Executor callbackExecutor) {
		this.callbackExecutor = callbackExecutor;
		return this;
	}

	/**
	 * Whether PUBs may travel together as one MPUB (default {@code true}). A publish that
	 * finds nothing in flight goes out at once as a PUB; publishes to the same topic that
	 * arrive while earlier commands await nsqd's answer are gathered and sent as one MPUB
	 * as soon as the pipeline has room, so the batch grows with the load and a lone
	 * publish never waits. nsqd then writes one answer instead of one per message, which
	 * is most of its cost per PUB. Each caller still gets its own result; the messages of
	 * one MPUB are published all together or not at all, in publish order. Consumers see
	 * the same messages either way.
	 * @param coalescePublishes {@code false} to send every publish as its own PUB
	 * @return this builder
	 */
	public NsqProducerBuilder coalescePublishes(boolean coalescePublishes) {
		this.coalescePublishes = coalescePublishes;
		return this;
	}

	/**
	 * How long a synchronous publish ({@code publish}, {@code multiPublish},
	 * {@code deferredPublish}) polls for nsqd's answer, yielding its core between polls,
	 * before it parks its thread (default 100 µs; nsqd on the same host or LAN answers
	 * within that). A parked caller has to be woken by the connection's reader thread,
	 * which costs both of them a context switch; with many threads publishing
	 * synchronously through one producer those wake-ups limit throughput, and polling
	 * avoids them. Polling keeps a core busy while the caller waits, though yielding lets
	 * any other runnable thread have it; when more than four callers per core wait at
	 * once, they park at once instead (their publishes travel in large batches anyway).
	 * Use {@link Duration#ZERO} to park at once, for example when nsqd is far away or CPU
	 * time is scarcer than latency. Callers on virtual threads (Java 21+) always park at
	 * once: parking one is cheap, while polling would unmount and remount it on every
	 * yield.
	 * @param syncWaitSpin from 0 to 10ms
	 * @return this builder
	 */
	public NsqProducerBuilder syncWaitSpin(Duration syncWaitSpin) {
		this.syncWaitSpin = Objects.requireNonNull(syncWaitSpin, "syncWaitSpin");
		return this;
	}

	/**
	 * Build the producer. It connects lazily, on the first publish. With exactly one nsqd
	 * address and no nsqlookupd, the producer uses one connection; otherwise it balances
	 * over one connection per nsqd according to the {@link #strategy(PublishStrategy)}.
	 * @return the producer
	 * @throws io.github.nsqspring.core.NsqConfigException when no address is given or a
	 * value is invalid
	 */
	public NsqProducer build() {
		if (this.nsqdAddresses.isEmpty() && this.lookupdAddresses.isEmpty()) {
			throw new NsqConfigException("no nsqd or nsqlookupd address given");
		}
		requirePositive(this.maxPendingCommands, "maxPendingCommands");
		requirePositive(this.maxMessageSize, "maxMessageSize");
		requirePositive(this.maxBodySize, "maxBodySize");
		requireNotNegative(this.pendingTimeout, "pendingTimeout");
		requireNotNegative(this.closeTimeout, "closeTimeout");
		requireNotNegative(this.maxDeferDelay, "maxDeferDelay");
		requireNotNegative(this.minReconnectDelay, "reconnectDelay min");
		requireNotNegative(this.syncWaitSpin, "syncWaitSpin");
		if (this.syncWaitSpin.compareTo(Futures.MAX_SPIN) > 0) {
			throw new NsqConfigException("syncWaitSpin must be at most " + Futures.MAX_SPIN.toNanos() / 1000
					+ "µs, was " + this.syncWaitSpin.toNanos() / 1000 + "µs");
		}
		if (this.maxReconnectDelay.compareTo(this.minReconnectDelay) < 0) {
			throw new NsqConfigException(
					"reconnectDelay max " + this.maxReconnectDelay + " is below min " + this.minReconnectDelay);
		}
		List<NsqAddress> nsqd = new ArrayList<>();
		for (String address : this.nsqdAddresses) {
			nsqd.add(NsqAddress.parse(address));
		}
		ProducerSettings settings = new ProducerSettings(this.config, this.maxPendingCommands, this.pendingTimeout,
				this.closeTimeout, this.maxMessageSize, this.maxBodySize, this.maxDeferDelay, this.minReconnectDelay,
				this.maxReconnectDelay, this.callbackExecutor, this.coalescePublishes, this.syncWaitSpin);
		if (nsqd.size() == 1 && this.lookupdAddresses.isEmpty()) {
			return new NsqdProducer(nsqd.get(0), settings);
		}
		BalancingProducer producer = new BalancingProducer(settings, this.strategy);
		producer.setNodes(nsqd);
		if (!this.lookupdAddresses.isEmpty()) {
			LookupdDiscovery discovery = new LookupdDiscovery(new LookupdClient(this.lookupdAddresses, this.config),
					nsqd, producer, this.config.getLookupdPollInterval().toNanos(), this.config.getLookupdPollJitter());
			producer.discovery(discovery);
			discovery.start();
		}
		return producer;
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
