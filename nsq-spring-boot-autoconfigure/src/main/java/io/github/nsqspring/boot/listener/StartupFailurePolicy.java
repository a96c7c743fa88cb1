package io.github.nsqspring.boot.listener;

/**
 * What a listener container does when it cannot start. Only a container that cannot be
 * created counts (an invalid setting, a name nsqd would refuse): an nsqd or nsqlookupd
 * that is down is not a startup failure, the consumer connects in the background when it
 * comes up.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public enum StartupFailurePolicy {

	/** Fail the application context (the default): a broken listener is a bug. */
	STOP,

	/**
	 * Log the failure, publish a
	 * {@link io.github.nsqspring.boot.event.ConsumerFailedToStartEvent} and carry on
	 * without this listener.
	 */
	CONTINUE

}
