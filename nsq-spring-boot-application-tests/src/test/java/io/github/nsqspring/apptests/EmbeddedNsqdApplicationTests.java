package io.github.nsqspring.apptests;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;

/**
 * The worker application scenarios against the embedded nsqd, in this JVM.
 *
 * @author nsq-spring
 */
class EmbeddedNsqdApplicationTests extends WorkerApplicationContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

	@Override
	String backend() {
		return "embedded nsqd";
	}

}
