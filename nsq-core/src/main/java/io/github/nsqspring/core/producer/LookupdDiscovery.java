package io.github.nsqspring.core.producer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.lookup.NsqdNode;

/**
 * Keeps a {@link BalancingProducer}'s nodes in line with nsqlookupd's {@code /nodes}
 * (plus any nsqd given directly), polled every {@code lookupd_poll_interval} on one
 * daemon thread ({@code nsq-producer-lookupd}) that ends on {@link #close()}. A failed
 * poll keeps the last known nodes. Before the first successful poll, a publish that finds
 * no node at all asks for one poll on its own thread, so the first publish after start
 * works without waiting a whole interval.
 */
final class LookupdDiscovery implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LookupdDiscovery.class);

	private static final long MIN_FORCED_POLL_GAP_NANOS = 1_000_000_000L;

	private final LookupdClient client;

	private final List<NsqAddress> fixed;

	private final BalancingProducer producer;

	private final long intervalNanos;

	private final double jitter;

	private final Thread thread;

	private volatile boolean closed;

	private long lastForcedPoll = System.nanoTime() - MIN_FORCED_POLL_GAP_NANOS;

	LookupdDiscovery(LookupdClient client, List<NsqAddress> fixed, BalancingProducer producer, long intervalNanos,
			double jitter) {
		this.client = client;
		this.fixed = List.copyOf(fixed);
		this.producer = producer;
		this.intervalNanos = intervalNanos;
		this.jitter = jitter;
		this.thread = new Thread(this::run, "nsq-producer-lookupd");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Poll now, on the caller's thread, unless one was forced less than a second ago.
	 */
	synchronized void pollNowIfDue() {
		long now = System.nanoTime();
		if (this.closed || now - this.lastForcedPoll < MIN_FORCED_POLL_GAP_NANOS) {
			return;
		}
		this.lastForcedPoll = now;
		poll();
	}

	private void run() {
		// spread the polls of many producers started together (go-nsq's jitter)
		long delay = (long) (this.intervalNanos * this.jitter * ThreadLocalRandom.current().nextDouble());
		poll();
		parkFor(delay);
		while (!this.closed) {
			poll();
			parkFor(this.intervalNanos);
		}
	}

	private void parkFor(long nanos) {
		long deadline = System.nanoTime() + nanos;
		long left;
		while (!this.closed && (left = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(this, left);
		}
	}

	private void poll() {
		if (this.closed) {
			return;
		}
		List<NsqdNode> nodes;
		try {
			nodes = this.client.nodes();
		}
		catch (NsqException ex) {
			logger.warn("nsqlookupd poll failed, keeping the known nsqd: {}", ex.getMessage());
			return;
		}
		Set<NsqAddress> addresses = new LinkedHashSet<>(this.fixed);
		for (NsqdNode node : nodes) {
			try {
				addresses.add(NsqAddress.parse(node.tcpAddress()));
			}
			catch (NsqException ex) {
				logger.warn("Ignoring nsqd with an unusable address from nsqlookupd: {}", ex.getMessage());
			}
		}
		this.producer.setNodes(new ArrayList<>(addresses));
	}

	@Override
	public void close() {
		this.closed = true;
		LockSupport.unpark(this.thread);
		if (Thread.currentThread() != this.thread) {
			try {
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
