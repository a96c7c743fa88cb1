/**
 * Adapters that call @NsqListener methods with Spring messaging argument resolution.
 */
@NullMarked
package io.github.nsqspring.boot.listener.adapter;

import org.jspecify.annotations.NullMarked;
