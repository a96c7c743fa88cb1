/**
 * The {@code nsq} actuator endpoint: listener containers with their nsqd connections, the
 * producers with their nsqd, and pausing and resuming a listener.
 */
@NullMarked
package io.github.nsqspring.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
