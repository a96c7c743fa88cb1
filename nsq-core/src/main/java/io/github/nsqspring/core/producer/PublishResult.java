package io.github.nsqspring.core.producer;

/**
 * A publish nsqd acknowledged.
 *
 * @param nsqdAddress the nsqd that acknowledged ({@code host:port})
 * @param topic the topic
 * @param messageCount the number of messages (1 for PUB and DPUB, the batch size for
 * MPUB)
 */
public record PublishResult(String nsqdAddress, String topic, int messageCount) {

}
