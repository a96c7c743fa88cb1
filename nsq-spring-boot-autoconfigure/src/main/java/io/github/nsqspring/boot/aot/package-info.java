/**
 * Ahead-of-time processing and GraalVM native image support: the reflection and proxy
 * hints NSQ's Spring support needs at run time.
 */
@NullMarked
package io.github.nsqspring.boot.aot;

import org.jspecify.annotations.NullMarked;
