/**
 * The @NsqListener annotation, @EnableNsq and the bean post-processor that registers
 * annotated methods.
 */
@NullMarked
package io.github.nsqspring.boot.annotation;

import org.jspecify.annotations.NullMarked;
