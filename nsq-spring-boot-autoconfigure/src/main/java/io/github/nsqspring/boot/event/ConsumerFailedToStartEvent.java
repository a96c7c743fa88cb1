package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container could not create or start its consumer (invalid
 * settings). An unreachable nsqd or nsqlookupd does not cause this event.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerFailedToStartEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	private final Throwable cause;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 * @param cause why it failed
	 */
	public ConsumerFailedToStartEvent(Object source, NsqMessageListenerContainer container, Throwable cause) {
		super(source, container);
		this.cause = cause;
	}

	/**
	 * Why the container failed to start.
	 * @return the cause
	 */
	public Throwable getCause() {
		return this.cause;
	}

}
