package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a paused listener container resumed.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerResumedEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	public ConsumerResumedEvent(Object source, NsqMessageListenerContainer container) {
		super(source, container);
	}

}
