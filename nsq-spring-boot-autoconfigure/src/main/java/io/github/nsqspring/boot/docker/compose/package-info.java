/**
 * Support for Spring Boot's Docker Compose service connections: a running service of the
 * {@code nsqio/nsq} image that publishes nsqd's port gives the application an
 * {@link io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails} bean.
 */
@NullMarked
package io.github.nsqspring.boot.docker.compose;

import org.jspecify.annotations.NullMarked;
