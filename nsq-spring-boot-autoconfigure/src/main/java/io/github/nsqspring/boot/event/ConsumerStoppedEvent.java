package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container's consumer fully stopped: in-flight messages
 * drained or requeued, connections closed.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerStoppedEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	public ConsumerStoppedEvent(Object source, NsqMessageListenerContainer container) {
		super(source, container);
	}

}
