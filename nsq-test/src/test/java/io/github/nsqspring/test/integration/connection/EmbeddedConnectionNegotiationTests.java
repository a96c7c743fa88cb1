package io.github.nsqspring.test.integration.connection;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * Connection negotiation against the embedded nsqd.
 */
class EmbeddedConnectionNegotiationTests extends ConnectionNegotiationContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

}
