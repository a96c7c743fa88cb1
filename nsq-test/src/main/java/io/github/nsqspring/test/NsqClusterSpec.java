package io.github.nsqspring.test;

import java.util.Objects;

/**
 * What cluster to start: how many nsqd nodes, whether an nsqlookupd runs (every node then
 * registers with it) and the options of every nsqd. The same spec starts an
 * {@link EmbeddedNsqCluster} or a {@code ProcessNsqCluster} of real binaries.
 *
 * @param nodes number of nsqd nodes, at least 1
 * @param lookupd whether to run an nsqlookupd
 * @param options options of every nsqd (their lookupd addresses are filled in by the
 * cluster)
 */
public record NsqClusterSpec(int nodes, boolean lookupd, NsqdOptions options) {

	/**
	 * Validate a spec.
	 * @param nodes nodes
	 * @param lookupd lookupd
	 * @param options options
	 */
	public NsqClusterSpec {
		if (nodes < 1) {
			throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
		}
		Objects.requireNonNull(options, "options");
	}

	/**
	 * A spec with nsqd's default options.
	 * @param nodes number of nsqd nodes
	 * @param lookupd whether to run an nsqlookupd
	 * @return the spec
	 */
	public static NsqClusterSpec of(int nodes, boolean lookupd) {
		return new NsqClusterSpec(nodes, lookupd, NsqdOptions.DEFAULTS);
	}

	/**
	 * A copy with other nsqd options.
	 * @param options the options
	 * @return the new spec
	 */
	public NsqClusterSpec withOptions(NsqdOptions options) {
		return new NsqClusterSpec(this.nodes, this.lookupd, options);
	}

}
