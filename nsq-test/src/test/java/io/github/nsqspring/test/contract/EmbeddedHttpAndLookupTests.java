package io.github.nsqspring.test.contract;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * The {@link HttpAndLookupContract} against the embedded cluster.
 */
class EmbeddedHttpAndLookupTests extends HttpAndLookupContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

}
