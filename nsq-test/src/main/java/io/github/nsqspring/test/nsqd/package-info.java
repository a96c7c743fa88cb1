/**
 * The embedded nsqd (protocol V2 and HTTP API). For tests and local development only.
 */
package io.github.nsqspring.test.nsqd;
