/**
 * Payload conversion: byte[], UTF-8 String and JSON.
 */
@NullMarked
package io.github.nsqspring.boot.support.converter;

import org.jspecify.annotations.NullMarked;
