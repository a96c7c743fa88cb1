package io.github.nsqspring.boot.event;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.NsqException;

/**
 * Published when a running listener container's consumer met a failure on an nsqd that
 * retrying cannot heal (configuration that can never work, certificates, a name nsqd
 * rejects, {@code E_AUTH_FAILED} or {@code E_UNAUTHORIZED}, an IDENTIFY setting nsqd
 * rejects: see {@link io.github.nsqspring.core.connection.ConnectFailures}). The consumer
 * never tries that nsqd again. With the startup failure policy
 * {@link io.github.nsqspring.boot.listener.StartupFailurePolicy#STOP STOP} the container
 * then stops ({@link #isContainerStopping()}); with
 * {@link io.github.nsqspring.boot.listener.StartupFailurePolicy#CONTINUE CONTINUE} it
 * keeps consuming from its other nsqd. Such a failure while the container starts fails
 * the start instead ({@link ConsumerFailedToStartEvent}). Published on an nsq-core
 * thread: listeners of this event should return quickly.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class PermanentConnectionFailureEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	private final String nsqdAddress;

	private final transient NsqException cause;

	private final String remedy;

	private final boolean containerStopping;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 * @param nsqdAddress the nsqd {@code host:port}
	 * @param cause the failure, its message naming what is wrong
	 * @param remedy what to change so that the connection can succeed
	 * @param containerStopping whether the container stops because of it
	 */
	public PermanentConnectionFailureEvent(Object source, NsqMessageListenerContainer container, String nsqdAddress,
			NsqException cause, String remedy, boolean containerStopping) {
		super(source, container);
		this.nsqdAddress = nsqdAddress;
		this.cause = cause;
		this.remedy = remedy;
		this.containerStopping = containerStopping;
	}

	/**
	 * The nsqd that cannot be consumed from.
	 * @return its {@code host:port}
	 */
	public String getNsqdAddress() {
		return this.nsqdAddress;
	}

	/**
	 * The failure.
	 * @return the cause
	 */
	public NsqException getCause() {
		return this.cause;
	}

	/**
	 * What to change so that the connection can succeed, one sentence.
	 * @return the fix
	 */
	public String getRemedy() {
		return this.remedy;
	}

	/**
	 * Whether the container stops because of this failure (startup failure policy
	 * {@code STOP}); a {@link ConsumerStoppingEvent} and a {@link ConsumerStoppedEvent}
	 * follow then.
	 * @return {@code true} when the container stops
	 */
	public boolean isContainerStopping() {
		return this.containerStopping;
	}

	@Override
	public String toString() {
		return "PermanentConnectionFailureEvent[listenerId=" + getContainer().getListenerId() + ", nsqd="
				+ this.nsqdAddress + ", cause=" + this.cause + ", containerStopping=" + this.containerStopping + "]";
	}

}
