package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the application events published by NSQ listener containers.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public abstract class NsqEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient NsqMessageListenerContainer container;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 */
	protected NsqEvent(Object source, NsqMessageListenerContainer container) {
		super(source);
		this.container = container;
	}

	/**
	 * The container the event is about.
	 * @return the container
	 */
	public NsqMessageListenerContainer getContainer() {
		return this.container;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[listenerId=" + this.container.getListenerId() + "]";
	}

}
