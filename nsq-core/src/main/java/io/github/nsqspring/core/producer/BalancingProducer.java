package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.PublishStrategy;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * A producer over several nsqd, each with its own {@link NsqdProducer} (one connection,
 * its own pipeline and pending bound).
 * <p>
 * Each publish goes to one node chosen by the {@link PublishStrategy}, skipping nodes
 * that are waiting to reconnect. When the chosen node fails a publish <em>before writing
 * it</em> (connect failure, node just found down), the publish moves on to the next node:
 * the message certainly did not reach the first one, so no duplicate can result. Once a
 * command may have reached nsqd it is never sent again elsewhere; its caller sees the
 * failure. A node that failed is tried again when its reconnect delay is over, so
 * publishing returns to it after it recovers (with {@link PublishStrategy#FAILOVER}, the
 * first node of the list takes the traffic back).
 * <p>
 * The node list may change at run time (nsqlookupd discovery): new nodes are added,
 * removed ones are closed gracefully (answers already owed are awaited).
 */
final class BalancingProducer extends CommandProducer {

	private static final Logger logger = LoggerFactory.getLogger(BalancingProducer.class);

	private static final NsqdProducer[] NONE = new NsqdProducer[0];

	private final ProducerSettings settings;

	private final PublishStrategy strategy;

	private final AtomicInteger next = new AtomicInteger();

	private final Object nodesLock = new Object();

	private volatile NsqdProducer[] nodes = NONE;

	private volatile boolean closed;

	private volatile LookupdDiscovery discovery;

	/** Closed when this producer closes; e.g. the lookupd poller. */
	private final List<AutoCloseable> resources = new ArrayList<>();

	/**
	 * Nodes no longer listed whose close (awaiting the answers they owe) is under way;
	 * guarded by nodesLock.
	 */
	private final List<NsqdProducer> removing = new ArrayList<>();

	/** Messages acknowledged by nodes that were removed; guarded by nodesLock. */
	private long removedPublished;

	BalancingProducer(ProducerSettings settings) {
		super(settings);
		this.settings = settings;
		this.strategy = settings.producer().getStrategy();
	}

	/**
	 * Replace the node list, keeping the producers of nodes still listed (in the new
	 * order), creating producers for new nodes and closing those of removed ones.
	 * @param addresses the nsqd addresses
	 */
	void setNodes(List<NsqAddress> addresses) {
		List<NsqdProducer> removed = new ArrayList<>();
		synchronized (this.nodesLock) {
			if (this.closed) {
				return;
			}
			Map<NsqAddress, NsqdProducer> old = new LinkedHashMap<>();
			for (NsqdProducer node : this.nodes) {
				old.put(node.address(), node);
			}
			List<NsqdProducer> updated = new ArrayList<>();
			for (NsqAddress address : addresses) {
				if (updated.stream().anyMatch((n) -> n.address().equals(address))) {
					continue;
				}
				NsqdProducer node = old.remove(address);
				if (node == null) {
					node = new NsqdProducer(address, this.settings, this.failedPublishes);
					logger.debug("Publishing to new nsqd {}", address);
				}
				updated.add(node);
			}
			removed.addAll(old.values());
			this.removing.addAll(removed);
			this.nodes = updated.toArray(NONE);
		}
		for (NsqdProducer node : removed) {
			logger.info("nsqd {} is no longer listed; closing its producer", node.address());
			node.close();
			synchronized (this.nodesLock) {
				// its counts are final once closed
				this.removing.remove(node);
				this.removedPublished += node.nodeStats().published();
			}
		}
	}

	void discovery(LookupdDiscovery discovery) {
		synchronized (this.nodesLock) {
			this.discovery = discovery;
			this.resources.add(discovery);
		}
	}

	/**
	 * The current nodes, in list order.
	 * @return the nodes' addresses
	 */
	List<NsqAddress> nodes() {
		List<NsqAddress> addresses = new ArrayList<>();
		for (NsqdProducer node : this.nodes) {
			addresses.add(node.address());
		}
		return addresses;
	}

	/**
	 * Whether this producer has an open connection to the nsqd.
	 * @param address the nsqd address
	 * @return {@code true} when connected
	 */
	boolean isConnected(String address) {
		NsqAddress wanted = NsqAddress.parse(address);
		for (NsqdProducer node : this.nodes) {
			if (node.address().equals(wanted)) {
				return node.isConnected();
			}
		}
		return false;
	}

	@Override
	CompletableFuture<PublishResult> submit(NsqCommand command, String topic, int messageCount, byte[] pubBody) {
		if (this.closed) {
			return failedHere(new ProducerClosedException("producer is closed"), messageCount);
		}
		NsqdProducer[] current = this.nodes;
		if (current.length == 0 && this.discovery != null) {
			// nothing listed yet (first poll pending or failed): ask nsqlookupd now
			this.discovery.pollNowIfDue();
			current = this.nodes;
		}
		int count = current.length;
		if (count == 0) {
			return failedHere(
					new NsqConnectionException(
							"not published: no nsqd known yet (none configured, or nsqlookupd has not listed any)"),
					messageCount);
		}
		int start = (this.strategy == PublishStrategy.ROUND_ROBIN) ? Math.floorMod(this.next.getAndIncrement(), count)
				: 0;
		StringBuilder unavailable = null;
		Throwable lastFailure = null;
		for (int i = 0; i < count; i++) {
			NsqdProducer node = current[(start + i) % count];
			if (!node.isAvailable()) {
				unavailable = note(unavailable, node, "waiting to reconnect");
				continue;
			}
			PendingPublish pending = node.submit(command, topic, messageCount, pubBody);
			if (!pending.isCompletedExceptionally() || pending.maybePublished) {
				return pending;
			}
			Throwable failure = causeOf(pending);
			// only a connection failure before the write is worth another node; bad
			// input, a full pipeline, close or an interrupt would fail there too
			if (!(failure instanceof NsqConnectionException) || Thread.currentThread().isInterrupted()) {
				return pending;
			}
			// the node counted a failure; the caller sees none unless every node fails
			this.failedPublishes.addAndGet(-messageCount);
			lastFailure = failure;
			unavailable = note(unavailable, node, failure.getMessage());
		}
		NsqConnectionException failure = new NsqConnectionException(
				"not published: no nsqd available (" + unavailable + ")", lastFailure);
		return failedHere(failure, messageCount);
	}

	private PendingPublish failedHere(NsqException failure, int messageCount) {
		this.failedPublishes.addAndGet(messageCount);
		return PendingPublish.failed(failure);
	}

	/**
	 * Sums over every node, those being removed and those removed before.
	 */
	@Override
	public ProducerStats stats() {
		List<ProducerNodeStats> nodeStats = new ArrayList<>();
		long published;
		synchronized (this.nodesLock) {
			published = this.removedPublished;
			for (NsqdProducer node : this.nodes) {
				nodeStats.add(node.nodeStats());
			}
			for (NsqdProducer node : this.removing) {
				nodeStats.add(node.nodeStats());
			}
		}
		long pending = 0;
		for (ProducerNodeStats node : nodeStats) {
			published += node.published();
			pending += node.pending();
		}
		return new ProducerStats(published, this.failedPublishes.get(), pending, nodeStats);
	}

	private static StringBuilder note(StringBuilder notes, NsqdProducer node, String why) {
		StringBuilder result = (notes != null) ? notes.append("; ") : new StringBuilder();
		return result.append(node.address()).append(": ").append(why);
	}

	private static Throwable causeOf(CompletableFuture<?> failed) {
		try {
			failed.join();
			return null;
		}
		catch (CompletionException ex) {
			return ex.getCause();
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	/**
	 * Connect to every node that is not waiting to reconnect, and send NOP.
	 * @throws NsqConnectionException when no node could be reached
	 */
	@Override
	public void ping() {
		if (this.closed) {
			throw new ProducerClosedException("producer is closed");
		}
		NsqException lastFailure = null;
		boolean reached = false;
		for (NsqdProducer node : this.nodes) {
			try {
				node.ping();
				reached = true;
			}
			catch (NsqException ex) {
				lastFailure = ex;
			}
		}
		if (!reached) {
			throw new NsqConnectionException(
					"no nsqd reachable" + ((lastFailure != null) ? ": " + lastFailure.getMessage() : ""), lastFailure);
		}
	}

	/**
	 * Close every node: all stop accepting calls at once, then each waits for its owed
	 * answers within one shared close timeout.
	 */
	@Override
	public void close() {
		NsqdProducer[] current;
		List<AutoCloseable> toClose;
		synchronized (this.nodesLock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			current = this.nodes;
			toClose = new ArrayList<>(this.resources);
		}
		for (AutoCloseable resource : toClose) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.debug("Closing {} failed", resource, ex);
			}
		}
		for (NsqdProducer node : current) {
			node.markClosed();
		}
		long deadline = System.nanoTime() + this.settings.producer().getCloseTimeout().toNanos();
		for (NsqdProducer node : current) {
			node.awaitAndClose(deadline);
		}
	}

	@Override
	public String toString() {
		return "BalancingProducer[" + this.strategy + ", " + nodes() + (this.closed ? ", closed" : "") + "]";
	}

}
