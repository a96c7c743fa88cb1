package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container connected again to an nsqd whose connection was
 * lost ({@link ConnectionLostEvent}), and subscribed. Published on an nsq-core thread:
 * listeners of this event should return quickly.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConnectionRestoredEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	private final String nsqdAddress;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 * @param nsqdAddress the nsqd {@code host:port}
	 */
	public ConnectionRestoredEvent(Object source, NsqMessageListenerContainer container, String nsqdAddress) {
		super(source, container);
		this.nsqdAddress = nsqdAddress;
	}

	/**
	 * The nsqd.
	 * @return its {@code host:port}
	 */
	public String getNsqdAddress() {
		return this.nsqdAddress;
	}

	@Override
	public String toString() {
		return "ConnectionRestoredEvent[listenerId=" + getContainer().getListenerId() + ", nsqd=" + this.nsqdAddress
				+ "]";
	}

}
