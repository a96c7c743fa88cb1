package io.github.nsqspring.core.producer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;

/**
 * Builds an {@link NsqProducer} for one nsqd, a fixed list of nsqd, or the nsqd that
 * nsqlookupd lists ({@code /nodes}, refreshed every {@code lookupd_poll_interval}).
 */
public final class NsqProducerBuilder {

	NsqConfig.Builder config = NsqConfig.builder();

	final List<String> nsqdAddresses = new ArrayList<>();

	final List<String> lookupdAddresses = new ArrayList<>();

	Executor callbackExecutor;

	NsqProducerBuilder() {
	}

	/**
	 * The configuration (default {@link NsqConfig#defaults()}): the producer uses its
	 * connection section (timeouts, TLS, compression, auth), its nsqlookupd section (when
	 * nsqlookupd addresses are given) and its producer section (strategy, pending
	 * commands, timeouts, nsqd's limits, reconnect delays, coalescing). Replaces what
	 * {@link #producer(Consumer)} changed before.
	 * @param config the configuration
	 * @return this builder
	 */
	public NsqProducerBuilder config(NsqConfig config) {
		this.config = Objects.requireNonNull(config, "config").toBuilder();
		return this;
	}

	/**
	 * Change the producer section of the configuration given so far, e.g.
	 * {@code producer((producer) -> producer.maxPendingCommands(1000))}; the values are
	 * checked in {@link #build()}.
	 * @param customizer receives the section's builder
	 * @return this builder
	 */
	public NsqProducerBuilder producer(Consumer<NsqProducerConfig.Builder> customizer) {
		this.config.producer(Objects.requireNonNull(customizer, "customizer"));
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
	 * Build the producer. It connects lazily, on the first publish. With exactly one nsqd
	 * address and no nsqlookupd, the producer uses one connection; otherwise it balances
	 * over one connection per nsqd according to {@link NsqProducerConfig#getStrategy()}.
	 * @return the producer
	 * @throws NsqConfigException when no address is given or a value is invalid
	 */
	public NsqProducer build() {
		if (this.nsqdAddresses.isEmpty() && this.lookupdAddresses.isEmpty()) {
			throw new NsqConfigException("no nsqd or nsqlookupd address given");
		}
		NsqConfig config = this.config.build();
		List<NsqAddress> nsqd = new ArrayList<>();
		for (String address : this.nsqdAddresses) {
			nsqd.add(NsqAddress.parse(address));
		}
		ProducerSettings settings = new ProducerSettings(config.connection(), config.producer(), this.callbackExecutor);
		if (nsqd.size() == 1 && this.lookupdAddresses.isEmpty()) {
			return new NsqdProducer(nsqd.get(0), settings);
		}
		BalancingProducer producer = new BalancingProducer(settings);
		producer.setNodes(nsqd);
		if (!this.lookupdAddresses.isEmpty()) {
			LookupdDiscovery discovery = new LookupdDiscovery(new LookupdClient(this.lookupdAddresses, config), nsqd,
					producer, config.lookupd().getPollInterval().toNanos(), config.lookupd().getPollJitter());
			producer.discovery(discovery);
			discovery.start();
		}
		return producer;
	}

}
