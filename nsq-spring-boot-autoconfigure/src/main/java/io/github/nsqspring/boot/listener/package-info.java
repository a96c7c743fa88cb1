/**
 * Listener containers, their settings, error handling and recoverers.
 */
@NullMarked
package io.github.nsqspring.boot.listener;

import org.jspecify.annotations.NullMarked;
