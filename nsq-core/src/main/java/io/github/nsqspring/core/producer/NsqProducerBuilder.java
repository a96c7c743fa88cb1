package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
	 * Most commands awaiting nsqd's answer per connection (default 10000). When reached,
	 * a publish waits up to {@link #pendingTimeout(Duration)} for room, then fails with
	 * {@link io.github.nsqspring.core.NsqTimeoutException}.
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
	 * Build the producer. It connects lazily, on the first publish.
	 * @return the producer
	 * @throws io.github.nsqspring.core.NsqConfigException when no address is given or a
	 * value is invalid
	 */
	public NsqProducer build() {
		throw new UnsupportedOperationException("producer implementation pending (issue 4)");
	}

}
