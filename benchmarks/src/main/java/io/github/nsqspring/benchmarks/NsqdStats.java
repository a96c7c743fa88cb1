package io.github.nsqspring.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.core.json.Json;

/**
 * The counters of one topic in nsqd's {@code /stats?format=json} answer.
 *
 * @param topic the topic name
 * @param depth messages waiting in the topic (not yet copied to a channel)
 * @param messageCount messages ever published to the topic
 * @param channels the topic's channels by name
 */
public record NsqdStats(String topic, long depth, long messageCount, Map<String, ChannelStats> channels) {

	/**
	 * The counters of one channel.
	 *
	 * @param depth messages waiting (memory and disk)
	 * @param inFlight messages sent to a consumer and not finished or requeued
	 * @param deferred messages waiting for a deferred (re)delivery
	 * @param messageCount messages ever put in the channel
	 * @param requeueCount requeues
	 * @param timeoutCount in-flight timeouts
	 * @param clientCount connected consumers
	 */
	public record ChannelStats(long depth, long inFlight, long deferred, long messageCount, long requeueCount,
			long timeoutCount, long clientCount) {

		/**
		 * Messages still owned by the channel: waiting, in flight or deferred.
		 * @return the count
		 */
		public long unfinished() {
			return this.depth + this.inFlight + this.deferred;
		}

	}

	/**
	 * Counters of a topic nsqd does not list.
	 * @param topic the topic name
	 * @return all zero, no channels
	 */
	public static NsqdStats absent(String topic) {
		return new NsqdStats(topic, 0, 0, Map.of());
	}

	/**
	 * Whether nsqd knows the topic.
	 * @return false for {@link #absent(String)}
	 */
	public boolean exists() {
		return this.messageCount > 0 || this.depth > 0 || !this.channels.isEmpty();
	}

	/**
	 * The counters of one channel.
	 * @param channel the channel name
	 * @return the counters, or {@code null} when the channel does not exist
	 */
	public ChannelStats channel(String channel) {
		return this.channels.get(channel);
	}

	/**
	 * Read one topic out of a {@code /stats?format=json} answer (the plain nsqd 1.x form
	 * or the older {@code {"status_code":..,"data":{..}}} envelope).
	 * @param json the answer
	 * @param topic the topic
	 * @return its counters, {@link #absent(String)} when the topic is not listed
	 * @throws IllegalArgumentException when the answer is not nsqd stats
	 */
	@SuppressWarnings("unchecked")
	public static NsqdStats parse(String json, String topic) {
		Map<String, Object> root = Json.parseObject(json);
		if (root.get("data") instanceof Map<?, ?> data && root.containsKey("status_code")) {
			root = (Map<String, Object>) data;
		}
		if (!root.containsKey("topics")) {
			throw new IllegalArgumentException("not an nsqd stats answer: no \"topics\"");
		}
		Object topics = root.get("topics");
		if (!(topics instanceof List<?> list)) {
			return absent(topic);
		}
		for (Object item : list) {
			Map<String, Object> t = (Map<String, Object>) item;
			if (!topic.equals(t.get("topic_name"))) {
				continue;
			}
			Map<String, ChannelStats> channels = new LinkedHashMap<>();
			if (t.get("channels") instanceof List<?> channelList) {
				for (Object c : channelList) {
					Map<String, Object> ch = (Map<String, Object>) c;
					channels.put(Json.getString(ch, "channel_name", ""),
							new ChannelStats(Json.getLong(ch, "depth", 0), Json.getLong(ch, "in_flight_count", 0),
									Json.getLong(ch, "deferred_count", 0), Json.getLong(ch, "message_count", 0),
									Json.getLong(ch, "requeue_count", 0), Json.getLong(ch, "timeout_count", 0),
									Json.getLong(ch, "client_count", 0)));
				}
			}
			return new NsqdStats(topic, Json.getLong(t, "depth", 0), Json.getLong(t, "message_count", 0),
					Map.copyOf(channels));
		}
		return absent(topic);
	}

}
