package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container that published a {@link ConsumerIdleEvent} receives
 * a message again, before the message goes to the listener (on the listener's thread).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerNoLongerIdleEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	public ConsumerNoLongerIdleEvent(Object source, NsqMessageListenerContainer container) {
		super(source, container);
	}

}
