/**
 * Payload conversion: NSQ's own converter type ({@link NsqMessageConverter}) and its
 * default, byte[], UTF-8 String and JSON with type hints.
 */
@NullMarked
package io.github.nsqspring.boot.support.converter;

import org.jspecify.annotations.NullMarked;
