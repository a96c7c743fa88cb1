package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container's consumer started. Connections are made in the
 * background: nsqd or nsqlookupd may still be unreachable.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerStartedEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	public ConsumerStartedEvent(Object source, NsqMessageListenerContainer container) {
		super(source, container);
	}

}
