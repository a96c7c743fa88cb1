/**
 * Administration of nsqd topics and channels over nsqd's and nsqlookupd's HTTP APIs
 * ({@link io.github.nsqspring.boot.admin.NsqAdmin}), and declarations created at startup
 * ({@link io.github.nsqspring.boot.admin.NsqTopic},
 * {@link io.github.nsqspring.boot.admin.NsqChannel},
 * {@link io.github.nsqspring.boot.admin.NsqDeclarer}).
 */
@NullMarked
package io.github.nsqspring.boot.admin;

import org.jspecify.annotations.NullMarked;
