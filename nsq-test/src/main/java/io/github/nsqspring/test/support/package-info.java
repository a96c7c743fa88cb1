/**
 * Internal helpers of nsq-test (threads, HTTP answers); not an API.
 */
package io.github.nsqspring.test.support;
