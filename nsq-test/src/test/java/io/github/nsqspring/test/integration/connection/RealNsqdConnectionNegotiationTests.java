package io.github.nsqspring.test.integration.connection;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

/**
 * Connection negotiation against real nsqd binaries from {@code NSQ_BIN_DIR}.
 */
@EnabledIfEnvironmentVariable(named = "NSQ_BIN_DIR", matches = ".+")
class RealNsqdConnectionNegotiationTests extends ConnectionNegotiationContract {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return ProcessNsqCluster.start(spec, ProcessNsqCluster.binDirFromEnvironment());
	}

}
