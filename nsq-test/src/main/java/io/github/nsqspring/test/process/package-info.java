/**
 * Real nsqd and nsqlookupd processes for contract tests. For tests only.
 */
package io.github.nsqspring.test.process;
