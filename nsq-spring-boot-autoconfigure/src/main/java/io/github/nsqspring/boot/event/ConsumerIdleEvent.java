package io.github.nsqspring.boot.event;

import java.time.Duration;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * Published when a running listener container received no message for its idle event
 * interval ({@code nsq.listener.idle-event-interval}), and again after each further
 * interval without a message. Published on an internal {@code nsq-idle-…} thread.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class ConsumerIdleEvent extends NsqEvent {

	private static final long serialVersionUID = 1L;

	private final Duration idleTime;

	/**
	 * Create an event.
	 * @param source the object publishing it
	 * @param container the container it is about
	 * @param idleTime how long the container has received no message
	 */
	public ConsumerIdleEvent(Object source, NsqMessageListenerContainer container, Duration idleTime) {
		super(source, container);
		this.idleTime = idleTime;
	}

	/**
	 * How long the container has received no message (since it started or since its last
	 * message).
	 * @return the idle time
	 */
	public Duration getIdleTime() {
		return this.idleTime;
	}

	@Override
	public String toString() {
		return "ConsumerIdleEvent[listenerId=" + getContainer().getListenerId() + ", idleTime=" + this.idleTime + "]";
	}

}
