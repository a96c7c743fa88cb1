package io.github.nsqspring.boot.core;

/**
 * The outcome of a send that nsqd acknowledged: the messages are on nsqd.
 *
 * @param topic the topic
 * @param messageCount how many messages were published (1, or the batch size)
 * @param nsqdAddress the {@code host:port} of the nsqd that acknowledged
 * @author nsq-spring
 * @since 0.1.0
 */
public record NsqSendResult(String topic, int messageCount, String nsqdAddress) {

}
