/**
 * AUTH for the embedded nsqd and a tiny auth HTTP server for real nsqd. For tests only.
 */
package io.github.nsqspring.test.auth;
