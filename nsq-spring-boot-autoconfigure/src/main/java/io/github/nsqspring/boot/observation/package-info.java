/**
 * Micrometer Observation support for {@code NsqTemplate} sends and listener deliveries:
 * observation documentation, replaceable conventions and the sender and receiver contexts
 * whose propagation carrier is the headers of the NSQ message envelope.
 */
@NullMarked
package io.github.nsqspring.boot.observation;

import org.jspecify.annotations.NullMarked;
