package io.github.nsqspring.test.spring;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.github.nsqspring.test.NsqCluster;

/**
 * For tests that manage a cluster themselves (for example a {@code ProcessNsqCluster} of
 * real binaries): registers its addresses from a {@code @DynamicPropertySource} method.
 *
 * <pre class="code">
 * static NsqCluster cluster = EmbeddedNsqCluster.start(1, true);
 *
 * &#64;DynamicPropertySource
 * static void nsq(DynamicPropertyRegistry registry) {
 *     NsqTestProperties.register(registry, cluster);
 * }
 * </pre>
 */
public final class NsqTestProperties {

	private NsqTestProperties() {
	}

	/**
	 * Register {@code nsq.nsqd.addresses}, {@code nsq.nsqd.http-addresses} and (with a
	 * lookupd) {@code nsq.lookupd.addresses}.
	 * @param registry the registry
	 * @param cluster the cluster
	 */
	public static void register(DynamicPropertyRegistry registry, NsqCluster cluster) {
		cluster.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

}
