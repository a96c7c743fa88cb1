package io.github.nsqspring.test.junit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;

@EmbeddedNsq(nodes = 2, lookupd = true)
class EmbeddedNsqExtensionTests {

	static EmbeddedNsqCluster classCluster;

	NsqCluster instanceCluster;

	@Test
	void injectsFieldsAndParameters(EmbeddedNsqCluster parameter) {
		assertThat(classCluster).isNotNull();
		assertThat(this.instanceCluster).isSameAs(classCluster).isSameAs(parameter);
		assertThat(parameter.size()).isEqualTo(2);
		assertThat(parameter.hasLookupd()).isTrue();
		assertThat(parameter.nsqd(0).isRunning()).isTrue();
	}

	@Test
	void sameClusterForTheWholeClass(NsqCluster parameter) {
		assertThat(parameter).isSameAs(classCluster);
	}

	@Nested
	@EmbeddedNsq(lifecycle = EmbeddedNsq.Lifecycle.PER_TEST)
	class PerTest {

		NsqCluster cluster;

		@Test
		void freshClusterPerTest(NsqCluster parameter) {
			assertThat(this.cluster).isSameAs(parameter);
			assertThat(this.cluster.size()).isEqualTo(1);
			assertThat(this.cluster).isNotSameAs(classCluster);
		}

	}

}
