/**
 * Listener endpoints, the endpoint registrar and registry, and listener container
 * factories.
 */
@NullMarked
package io.github.nsqspring.boot.config;

import org.jspecify.annotations.NullMarked;
