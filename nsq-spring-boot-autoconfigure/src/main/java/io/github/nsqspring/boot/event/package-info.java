/**
 * Application events published by listener containers.
 */
@NullMarked
package io.github.nsqspring.boot.event;

import org.jspecify.annotations.NullMarked;
