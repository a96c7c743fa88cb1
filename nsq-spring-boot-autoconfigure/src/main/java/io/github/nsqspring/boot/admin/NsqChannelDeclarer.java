package io.github.nsqspring.boot.admin;

/**
 * Makes sure a listener's channel exists on nsqd before its consumer subscribes, so the
 * channel receives messages published from then on even on nodes the consumer has not
 * connected to yet. Listener containers call it at each start, before creating their
 * consumer; {@link NsqDeclarer} is the standard implementation.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqChannelDeclarer {

	/**
	 * Declare a listener's channel and its topic. Ephemeral ones are never declared.
	 * @param topic the listener's topic
	 * @param channel the listener's channel
	 * @throws RuntimeException to make the container's start fail (its startup failure
	 * policy then applies)
	 */
	void declareChannel(String topic, String channel);

}
