package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container begins to stop (delivery stops, in-flight messages
 * drain).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerStoppingEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	public ConsumerStoppingEvent(Object source, NsqMessageListenerContainer container) {
		super(source, container);
	}

}
