package io.github.nsqspring.test.contract;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

/**
 * Where a contract test runs: always against the embedded cluster, and against real
 * binaries when NSQ_BIN_DIR is set (the invocation is skipped otherwise).
 */
enum Backend {

	EMBEDDED {
		@Override
		NsqCluster start(NsqClusterSpec spec) {
			return EmbeddedNsqCluster.start(spec);
		}
	},

	REAL {
		@Override
		NsqCluster start(NsqClusterSpec spec) {
			Path binDir = ProcessNsqCluster.binDirFromEnvironment();
			Assumptions.assumeTrue(binDir != null, "NSQ_BIN_DIR is not set: no real nsqd to compare with");
			return ProcessNsqCluster.start(spec, binDir);
		}
	};

	abstract NsqCluster start(NsqClusterSpec spec);

}
