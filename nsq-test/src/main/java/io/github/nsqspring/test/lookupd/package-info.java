/**
 * The embedded nsqlookupd (TCP registration protocol and HTTP API). For tests and local
 * development only.
 */
package io.github.nsqspring.test.lookupd;
