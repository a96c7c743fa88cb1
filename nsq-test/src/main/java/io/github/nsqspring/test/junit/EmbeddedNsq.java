package io.github.nsqspring.test.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts an {@link io.github.nsqspring.test.EmbeddedNsqCluster} (in-JVM nsqd nodes and an
 * optional nsqlookupd, for tests only) around a test class or each test, and injects it
 * into fields and parameters of type {@link io.github.nsqspring.test.NsqCluster} or
 * {@link io.github.nsqspring.test.EmbeddedNsqCluster}.
 *
 * <pre class="code">
 * &#64;EmbeddedNsq(nodes = 3, lookupd = true)
 * class MyTests {
 *
 *     EmbeddedNsqCluster cluster; // injected
 *
 *     &#64;Test
 *     void publishes(NsqCluster nsq) {
 *         String address = nsq.nsqdTcpAddress(0);
 *     }
 * }
 * </pre>
 *
 * On a Spring test class ({@code @SpringBootTest}, {@code @SpringJUnitConfig}, ...) the
 * same annotation makes the Spring test context start the cluster instead, register it as
 * a bean and set {@code nsq.nsqd.addresses}, {@code nsq.nsqd.http-addresses} and
 * {@code nsq.lookupd.addresses}; the cluster then lives as long as the (cached) context
 * and fields and parameters receive that same cluster.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedNsqExtension.class)
public @interface EmbeddedNsq {

	/**
	 * Number of nsqd nodes.
	 * @return at least 1 (default 1)
	 */
	int nodes() default 1;

	/**
	 * Whether to run an nsqlookupd that every node registers with.
	 * @return default false
	 */
	boolean lookupd() default false;

	/**
	 * When to start a fresh cluster. Ignored on Spring test classes (the context
	 * decides).
	 * @return default {@link Lifecycle#PER_CLASS}
	 */
	Lifecycle lifecycle() default Lifecycle.PER_CLASS;

	/**
	 * nsqd {@code --msg-timeout} in milliseconds.
	 * @return default 60000
	 */
	long msgTimeoutMillis() default 60_000;

	/**
	 * nsqd {@code --max-rdy-count}.
	 * @return default 2500
	 */
	long maxRdyCount() default 2500;

	/**
	 * nsqd {@code --max-msg-size} in bytes.
	 * @return default 1048576
	 */
	long maxMsgSize() default 1024 * 1024;

	/**
	 * Offer TLS with the test certificate
	 * ({@link io.github.nsqspring.test.tls.TestCertificates}).
	 * @return default false
	 */
	boolean tls() default false;

	/** When a cluster is started and stopped. */
	enum Lifecycle {

		/** One cluster for all tests of the class. */
		PER_CLASS,

		/** A fresh cluster for every test method. */
		PER_TEST

	}

}
