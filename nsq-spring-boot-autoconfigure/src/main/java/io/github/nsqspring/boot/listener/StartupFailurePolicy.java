package io.github.nsqspring.boot.listener;

/**
 * What a listener container does when its configuration can never work: an invalid
 * setting or name, compression without its library, TLS material that cannot be read or
 * certificates that are not trusted, {@code E_AUTH_FAILED} or {@code E_UNAUTHORIZED}, an
 * IDENTIFY setting nsqd rejects (see
 * {@link io.github.nsqspring.core.connection.ConnectFailures}). An nsqd or nsqlookupd
 * that is down, refuses connections or lists no nsqd yet is never such a failure: the
 * consumer retries it in the background with backoff.
 * <p>
 * Such a failure shows either when the container starts (its first connection round) or
 * later, on an nsqd the consumer connects to afterwards (one nsqlookupd lists later, or
 * one that withdrew an authorization). Either way the error names the listener and the
 * fix, and the consumer never retries that nsqd.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public enum StartupFailurePolicy {

	/**
	 * The default: a broken listener is a bug. At start, the container's start fails, so
	 * the application context fails to start (a
	 * {@link io.github.nsqspring.boot.event.ConsumerFailedToStartEvent} is published
	 * first). Later, the container publishes a
	 * {@link io.github.nsqspring.boot.event.PermanentConnectionFailureEvent}, logs an
	 * ERROR and stops (draining what was delivered); the application keeps running.
	 */
	STOP,

	/**
	 * Carry on. At start, log the failure, publish a
	 * {@link io.github.nsqspring.boot.event.ConsumerFailedToStartEvent} and go on without
	 * this listener. Later, publish a
	 * {@link io.github.nsqspring.boot.event.PermanentConnectionFailureEvent}, log an
	 * ERROR and keep consuming from the listener's other nsqd.
	 */
	CONTINUE

}
