package io.github.nsqspring.core.producer;

import java.util.concurrent.Executor;

import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;

/**
 * The validated settings every per-nsqd producer of one {@link NsqProducer} shares.
 *
 * @param connection how connections to nsqd are opened
 * @param producer how publishes are made
 * @param callbackExecutor where futures are completed, {@code null} for the connection's
 * reader thread
 */
record ProducerSettings(NsqConnectionConfig connection, NsqProducerConfig producer, Executor callbackExecutor) {

}
