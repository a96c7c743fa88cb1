package io.github.nsqspring.boot.admin;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The {@link NsqAdminContract} against real nsqd and nsqlookupd from {@code NSQ_BIN_DIR}.
 */
@EnabledIfEnvironmentVariable(named = "NSQ_BIN_DIR", matches = ".+")
class RealNsqAdminTests extends NsqAdminContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return ProcessNsqCluster.start(spec, ProcessNsqCluster.binDirFromEnvironment());
	}

}
