package io.github.nsqspring.core.lookup;

import java.util.List;

/**
 * nsqlookupd's answer to {@code /lookup?topic=...}.
 *
 * @param topicFound {@code false} when nsqlookupd answered 404 (topic unknown)
 * @param producers the nsqd that have the topic
 * @param channels the topic's channels
 */
public record LookupResult(boolean topicFound, List<NsqdNode> producers, List<String> channels) {

	/** The answer for a topic nsqlookupd does not know. */
	public static final LookupResult TOPIC_NOT_FOUND = new LookupResult(false, List.of(), List.of());

}
