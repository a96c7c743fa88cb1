/**
 * nsq-test: an in-JVM nsqd and nsqlookupd that behave like nsqd 1.3 / nsqlookupd 1.3 on
 * everything a client can observe, plus cluster helpers, a JUnit 5 extension and Spring
 * test support.
 * <p>
 * <strong>For tests and local development only, never for production</strong>: messages
 * live in memory only, nothing is written to disk, and the shipped TLS key is public.
 * Production always talks to real NSQ.
 * <p>
 * Entry points: {@link io.github.nsqspring.test.EmbeddedNsqCluster} (in the JVM),
 * {@link io.github.nsqspring.test.process.ProcessNsqCluster} (real binaries from
 * {@code NSQ_BIN_DIR}), both behind {@link io.github.nsqspring.test.NsqCluster};
 * {@link io.github.nsqspring.test.junit.EmbeddedNsq} for JUnit and Spring tests.
 */
package io.github.nsqspring.test;
