/**
 * Spring Boot auto-configuration for NSQ and the nsq.* properties.
 */
@NullMarked
package io.github.nsqspring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
