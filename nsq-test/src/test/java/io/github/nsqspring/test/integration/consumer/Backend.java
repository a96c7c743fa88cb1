package io.github.nsqspring.test.integration.consumer;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.process.ProcessNsqCluster;

/**
 * What a consumer integration test runs against: the embedded nsqd always, real nsqd
 * processes when {@code NSQ_BIN_DIR} names their folder (skipped otherwise).
 */
enum Backend {

	EMBEDDED, REAL;

	NsqCluster start(int nodes) {
		return start(NsqClusterSpec.of(nodes, true));
	}

	NsqCluster start(NsqClusterSpec spec) {
		if (this == EMBEDDED) {
			return EmbeddedNsqCluster.start(spec);
		}
		Path binDir = ProcessNsqCluster.binDirFromEnvironment();
		Assumptions.assumeTrue(binDir != null, "NSQ_BIN_DIR is not set");
		return ProcessNsqCluster.start(spec, binDir);
	}

}
