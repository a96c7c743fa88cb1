package io.github.nsqspring.boot.listener;

import java.time.Duration;

import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one NSQ consumer (a topic and channel) and calls a listener for each message.
 * Containers made for {@code @NsqListener} methods are owned by the
 * {@link io.github.nsqspring.boot.config.NsqListenerEndpointRegistry}, not registered as
 * beans; look them up there by id.
 * <p>
 * Lifecycle: starts late and stops early (phase {@link #DEFAULT_PHASE}), so listeners
 * never run against half-built or half-destroyed beans. {@link #stop(Runnable)} is
 * asynchronous: it stops asking nsqd for messages, lets the listener finish every message
 * already delivered, requeues at once what is still unanswered when the shutdown timeout
 * ends, closes the connections and then runs the callback. A stop ends at most
 * {@link #STOP_GRACE} after the shutdown timeout, so Spring's
 * {@code spring.lifecycle.timeout-per-shutdown-phase} should be at least the shutdown
 * timeout plus that.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqMessageListenerContainer extends SmartLifecycle, DisposableBean {

	/**
	 * Phase of listener containers: late start, early stop.
	 */
	int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	/**
	 * The most a container's stop takes after its shutdown timeout (17 s): the consumer's
	 * {@link io.github.nsqspring.core.consumer.NsqConsumer#STOP_GRACE} for handlers that
	 * ignore their interrupt and for the connection threads, and the time batch listener
	 * loops get to return. A stop usually ends within milliseconds of the shutdown
	 * timeout, or before it once every delivered message is answered.
	 */
	Duration STOP_GRACE = NsqConsumer.STOP_GRACE.plus(MessageBatcher.CLOSE_TIMEOUT);

	/**
	 * The id of this container (the listener id).
	 * @return the id
	 */
	String getListenerId();

	/**
	 * The settings.
	 * @return the container properties
	 */
	NsqContainerProperties getContainerProperties();

	/**
	 * Stop delivery (RDY 0) without disconnecting; in-flight messages still finish. Can
	 * be called before start: the container then starts paused.
	 */
	void pause();

	/**
	 * Resume delivery at the configured max in flight.
	 */
	void resume();

	/**
	 * Whether {@link #pause()} was called without a later {@link #resume()}.
	 * @return {@code true} when paused
	 */
	boolean isPaused();

	/**
	 * The counters of the running consumer.
	 * @return a snapshot, or {@code null} when not running
	 */
	@Nullable ConsumerStats getStats();

	/**
	 * Called by an error handler when the recoverer of a message failed (a dead-letter
	 * publish that nsqd refused, for example) and the message was requeued with backoff
	 * instead of finished, so that it is not lost. The default does nothing;
	 * {@link DefaultNsqMessageListenerContainer} counts these
	 * ({@link DefaultNsqMessageListenerContainer#getRecoveryFailureCount()} and the
	 * {@code nsq.consumer.recovery.failures} meter).
	 * @param message the message, already requeued
	 * @param cause why the recoverer failed
	 */
	default void recoveryFailed(NsqMessage message, Throwable cause) {
	}

	@Override
	default void destroy() {
		stop();
	}

}
