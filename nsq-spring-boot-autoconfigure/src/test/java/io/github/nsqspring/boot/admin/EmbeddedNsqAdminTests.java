package io.github.nsqspring.boot.admin;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * The {@link NsqAdminContract} against the embedded nsqd and nsqlookupd.
 */
class EmbeddedNsqAdminTests extends NsqAdminContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

}
