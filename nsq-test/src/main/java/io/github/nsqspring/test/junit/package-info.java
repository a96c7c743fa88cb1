/**
 * JUnit 5 support: {@link io.github.nsqspring.test.junit.EmbeddedNsq}. For tests only.
 */
package io.github.nsqspring.test.junit;
