/**
 * The test-only TLS material shipped with nsq-test.
 */
package io.github.nsqspring.test.tls;
