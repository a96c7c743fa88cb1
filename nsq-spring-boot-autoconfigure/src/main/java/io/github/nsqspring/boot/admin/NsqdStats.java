package io.github.nsqspring.boot.admin;

import java.util.List;
import java.util.Optional;

/**
 * What one nsqd reports in {@code /stats?format=json}, without client and memory details.
 *
 * @param node the nsqd HTTP address asked
 * @param version nsqd's version
 * @param topics its topics, sorted by name
 * @author nsq-spring
 * @since 0.1.0
 */
public record NsqdStats(String node, String version, List<TopicStats> topics) {

	/**
	 * A topic by name.
	 * @param name the topic name
	 * @return the topic's stats, empty when the node does not have it
	 */
	public Optional<TopicStats> topic(String name) {
		return this.topics.stream().filter((topic) -> topic.name().equals(name)).findFirst();
	}

	/**
	 * A topic on one nsqd.
	 *
	 * @param name the topic name
	 * @param depth messages waiting in the topic (not yet copied to channels)
	 * @param messageCount messages published since nsqd started
	 * @param paused whether the topic is paused
	 * @param channels its channels, sorted by name
	 */
	public record TopicStats(String name, long depth, long messageCount, boolean paused, List<ChannelStats> channels) {

		/**
		 * A channel by name.
		 * @param name the channel name
		 * @return the channel's stats, empty when the topic does not have it
		 */
		public Optional<ChannelStats> channel(String name) {
			return this.channels.stream().filter((channel) -> channel.name().equals(name)).findFirst();
		}

	}

	/**
	 * A channel on one nsqd.
	 *
	 * @param name the channel name
	 * @param depth messages waiting for a consumer (memory and disk)
	 * @param inFlightCount messages delivered and not answered yet
	 * @param deferredCount messages deferred (DPUB or REQ with a delay)
	 * @param messageCount messages the channel received since nsqd started
	 * @param requeueCount messages requeued
	 * @param timeoutCount messages that timed out in flight
	 * @param clientCount consumers connected
	 * @param paused whether the channel is paused
	 */
	public record ChannelStats(String name, long depth, long inFlightCount, long deferredCount, long messageCount,
			long requeueCount, long timeoutCount, long clientCount, boolean paused) {

	}

}
