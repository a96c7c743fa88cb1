package io.github.nsqspring.test;

import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.test.lookupd.EmbeddedNsqlookupd;
import io.github.nsqspring.test.nsqd.EmbeddedNsqd;

/**
 * N {@link EmbeddedNsqd} nodes and an optional {@link EmbeddedNsqlookupd} in this JVM, on
 * loopback with random free ports, for tests and local development (<strong>not for
 * production</strong>). Starting and stopping takes milliseconds.
 *
 * <pre class="code">
 * try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(NsqClusterSpec.of(3, true))) {
 *     String nsqd = cluster.nsqdTcpAddress(0);          // 127.0.0.1:port
 *     String lookupd = cluster.lookupdHttpAddress();    // 127.0.0.1:port
 *     cluster.nsqd(1).pause();                          // fault injection
 * }
 * </pre>
 */
public final class EmbeddedNsqCluster implements NsqCluster {

	private final NsqClusterSpec spec;

	private final EmbeddedNsqlookupd lookupd;

	private final List<EmbeddedNsqd> nodes = new ArrayList<>();

	private EmbeddedNsqCluster(NsqClusterSpec spec) {
		this.spec = spec;
		this.lookupd = spec.lookupd() ? new EmbeddedNsqlookupd() : null;
	}

	/**
	 * Start a cluster.
	 * @param spec what to start
	 * @return the running cluster
	 * @throws java.io.UncheckedIOException when ports cannot be bound (everything started
	 * is stopped again)
	 */
	public static EmbeddedNsqCluster start(NsqClusterSpec spec) {
		EmbeddedNsqCluster cluster = new EmbeddedNsqCluster(spec);
		try {
			NsqdOptions options = spec.options();
			if (cluster.lookupd != null) {
				cluster.lookupd.start();
				options = options.toBuilder().lookupdTcpAddresses(List.of(cluster.lookupd.tcpAddress())).build();
			}
			for (int i = 0; i < spec.nodes(); i++) {
				cluster.nodes.add(new EmbeddedNsqd(options).start());
			}
			if (cluster.lookupd != null) {
				cluster.awaitRegistered();
			}
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/** Like the real cluster, return only once every node is known to the lookupd. */
	private void awaitRegistered() {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (this.lookupd.nodeCount() < this.nodes.size()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("embedded nsqd nodes did not register with the embedded nsqlookupd");
			}
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while starting the cluster", ex);
			}
		}
	}

	/**
	 * Start a cluster with nsqd's default options.
	 * @param nodes number of nsqd nodes
	 * @param lookupd whether to run an nsqlookupd
	 * @return the running cluster
	 */
	public static EmbeddedNsqCluster start(int nodes, boolean lookupd) {
		return start(NsqClusterSpec.of(nodes, lookupd));
	}

	/**
	 * One embedded nsqd, for fault injection ({@link EmbeddedNsqd#pause()},
	 * {@link EmbeddedNsqd#dropConnections()}) and inspection.
	 * @param node node index
	 * @return the node
	 */
	public EmbeddedNsqd nsqd(int node) {
		return this.nodes.get(node);
	}

	/**
	 * @return the embedded nsqlookupd
	 * @throws IllegalStateException when the cluster has none
	 */
	public EmbeddedNsqlookupd lookupd() {
		if (this.lookupd == null) {
			throw new IllegalStateException("this cluster has no nsqlookupd");
		}
		return this.lookupd;
	}

	/**
	 * @return the spec the cluster was started from
	 */
	public NsqClusterSpec spec() {
		return this.spec;
	}

	@Override
	public int size() {
		return this.nodes.size();
	}

	@Override
	public String nsqdTcpAddress(int node) {
		return this.nodes.get(node).tcpAddress();
	}

	@Override
	public String nsqdHttpAddress(int node) {
		return this.nodes.get(node).httpAddress();
	}

	@Override
	public boolean hasLookupd() {
		return this.lookupd != null;
	}

	@Override
	public String lookupdHttpAddress() {
		return lookupd().httpAddress();
	}

	@Override
	public String lookupdTcpAddress() {
		return lookupd().tcpAddress();
	}

	@Override
	public NsqdOptions options() {
		return this.spec.options();
	}

	@Override
	public void stopNode(int node) {
		this.nodes.get(node).stop();
	}

	@Override
	public void startNode(int node) {
		this.nodes.get(node).start();
	}

	@Override
	public boolean isNodeRunning(int node) {
		return this.nodes.get(node).isRunning();
	}

	/**
	 * Freeze a node as if it hung (see {@link EmbeddedNsqd#pause()}).
	 * @param node node index
	 */
	public void pauseNode(int node) {
		this.nodes.get(node).pause();
	}

	/**
	 * Undo {@link #pauseNode(int)}.
	 * @param node node index
	 */
	public void resumeNode(int node) {
		this.nodes.get(node).resume();
	}

	/**
	 * Close all client connections of a node (see
	 * {@link EmbeddedNsqd#dropConnections()}).
	 * @param node node index
	 * @return how many connections were closed
	 */
	public int dropConnections(int node) {
		return this.nodes.get(node).dropConnections();
	}

	@Override
	public void close() {
		for (EmbeddedNsqd node : this.nodes) {
			node.stop();
		}
		if (this.lookupd != null) {
			this.lookupd.stop();
		}
	}

	@Override
	public String toString() {
		return "EmbeddedNsqCluster[nsqd=" + nsqdTcpAddresses()
				+ (hasLookupd() ? ", lookupd=" + lookupdHttpAddress() : "") + "]";
	}

}
