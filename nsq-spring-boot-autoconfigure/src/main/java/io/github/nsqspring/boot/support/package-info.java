/**
 * NSQ message header names for Spring messaging.
 */
@NullMarked
package io.github.nsqspring.boot.support;

import org.jspecify.annotations.NullMarked;
