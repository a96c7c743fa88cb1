/**
 * Health indicator for NSQ (nsqd and nsqlookupd /ping).
 */
@NullMarked
package io.github.nsqspring.boot.health;

import org.jspecify.annotations.NullMarked;
