/**
 * Support for Spring Boot's Testcontainers service connections:
 * {@code @ServiceConnection} on a container of the {@code nsqio/nsq} image gives the
 * application an {@link io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails}
 * bean.
 */
@NullMarked
package io.github.nsqspring.boot.testcontainers;

import org.jspecify.annotations.NullMarked;
