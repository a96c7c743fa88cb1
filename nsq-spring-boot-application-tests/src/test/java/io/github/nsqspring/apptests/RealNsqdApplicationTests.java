package io.github.nsqspring.apptests;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

/**
 * The worker application scenarios against real nsqd from {@code NSQ_BIN_DIR}.
 *
 * @author nsq-spring
 */
@EnabledIfEnvironmentVariable(named = ProcessNsqCluster.BIN_DIR_ENV, matches = ".+")
class RealNsqdApplicationTests extends WorkerApplicationContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return ProcessNsqCluster.start(spec, ProcessNsqCluster.binDirFromEnvironment());
	}

	@Override
	String backend() {
		return "real nsqd";
	}

}
