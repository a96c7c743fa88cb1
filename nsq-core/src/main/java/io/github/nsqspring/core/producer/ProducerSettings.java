package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.concurrent.Executor;

import io.github.nsqspring.core.config.NsqConfig;

/**
 * The validated settings every per-nsqd producer of one {@link NsqProducer} shares.
 *
 * @param config connection settings
 * @param maxPendingCommands most commands awaiting an answer per connection
 * @param pendingTimeout longest wait for room among pending commands
 * @param closeTimeout longest wait in close for owed answers
 * @param maxMessageSize nsqd's --max-msg-size
 * @param maxBodySize nsqd's --max-body-size (limits a whole MPUB)
 * @param maxDeferDelay nsqd's --max-req-timeout (limits DPUB delays)
 * @param minReconnectDelay first delay after a failed connect
 * @param maxReconnectDelay cap of the exponential reconnect delay
 * @param callbackExecutor where futures are completed, {@code null} for the connection's
 * reader thread
 * @param coalesce whether PUBs that would wait for earlier answers travel together as one
 * MPUB
 * @param syncWaitSpin how long a synchronous publish polls for its answer before parking
 */
record ProducerSettings(NsqConfig config, int maxPendingCommands, Duration pendingTimeout, Duration closeTimeout,
		int maxMessageSize, int maxBodySize, Duration maxDeferDelay, Duration minReconnectDelay,
		Duration maxReconnectDelay, Executor callbackExecutor, boolean coalesce, Duration syncWaitSpin) {

}
