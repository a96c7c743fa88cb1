/**
 * Micrometer meters of NsqTemplate publishes and listener containers.
 */
@NullMarked
package io.github.nsqspring.boot.metrics;

import org.jspecify.annotations.NullMarked;
