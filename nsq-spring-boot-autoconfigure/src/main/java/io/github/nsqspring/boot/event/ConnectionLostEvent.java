package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a listener container's connection to an nsqd closed unexpectedly (nsqd
 * stopped, network failure, protocol error); not when the container stops or when an nsqd
 * left nsqlookupd. The consumer reconnects in the background; a
 * {@link ConnectionRestoredEvent} follows when it succeeds. Published on an nsq-core
 * thread: listeners of this event should return quickly.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConnectionLostEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	private final String nsqdAddress;

	private final transient Throwable cause;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause why the connection closed
	 */
	public ConnectionLostEvent(Object source, NsqMessageListenerContainer container, String nsqdAddress,
			Throwable cause) {
		super(source, container);
		this.nsqdAddress = nsqdAddress;
		this.cause = cause;
	}

	/**
	 * The nsqd.
	 * @return its {@code host:port}
	 */
	public String getNsqdAddress() {
		return this.nsqdAddress;
	}

	/**
	 * Why the connection closed.
	 * @return the cause
	 */
	public Throwable getCause() {
		return this.cause;
	}

	@Override
	public String toString() {
		return "ConnectionLostEvent[listenerId=" + getContainer().getListenerId() + ", nsqd=" + this.nsqdAddress
				+ ", cause=" + this.cause + "]";
	}

}
