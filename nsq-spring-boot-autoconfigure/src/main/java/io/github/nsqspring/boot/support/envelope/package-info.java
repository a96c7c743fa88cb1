/**
 * The opt-in NSQ message envelope that carries headers (trace context, dead-letter
 * details, application headers) in front of the payload. See {@link NsqEnvelope} for the
 * byte layout.
 */
@NullMarked
package io.github.nsqspring.boot.support.envelope;

import org.jspecify.annotations.NullMarked;
