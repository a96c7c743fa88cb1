/**
 * Spring test support for the embedded NSQ cluster: a context customizer triggered by
 * {@link io.github.nsqspring.test.junit.EmbeddedNsq} and a {@code @DynamicPropertySource}
 * helper. For tests only.
 */
package io.github.nsqspring.test.spring;
