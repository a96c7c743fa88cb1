package io.github.nsqspring.test.contract;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

/**
 * The {@link ProtocolContract} against real binaries from {@code NSQ_BIN_DIR}.
 */
@EnabledIfEnvironmentVariable(named = "NSQ_BIN_DIR", matches = ".+")
class RealNsqdProtocolTests extends ProtocolContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return ProcessNsqCluster.start(spec, ProcessNsqCluster.binDirFromEnvironment());
	}

}
