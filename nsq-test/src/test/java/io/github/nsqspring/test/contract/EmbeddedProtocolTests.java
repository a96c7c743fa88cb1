package io.github.nsqspring.test.contract;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * The {@link ProtocolContract} against the embedded cluster.
 */
class EmbeddedProtocolTests extends ProtocolContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

}
