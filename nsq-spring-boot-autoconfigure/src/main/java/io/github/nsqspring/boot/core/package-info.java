/**
 * Publishing with NsqOperations/NsqTemplate, and the consumer factory behind listener
 * containers.
 */
@NullMarked
package io.github.nsqspring.boot.core;

import org.jspecify.annotations.NullMarked;
