package io.github.nsqspring.test.contract;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * The {@link NegotiationContract} against the embedded cluster.
 */
class EmbeddedNegotiationTests extends NegotiationContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

}
