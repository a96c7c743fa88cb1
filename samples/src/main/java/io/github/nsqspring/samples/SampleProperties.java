package io.github.nsqspring.samples;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample.
 *
 * @param topic the topic orders are published to
 * @param receiptsTopic the topic billing replies to with a receipt for each order
 * @param publishInterval time between two published orders
 * @param exitAfter messages each channel (billing, audit, mailer) must receive before the
 * app exits by itself; 0 to run until stopped
 * @param timeout longest the app waits for those messages before giving up (exit code 1)
 * @param embedded whether to start the embedded nsqd + nsqlookupd: {@code auto} (when no
 * {@code nsq.nsqd.addresses} or {@code nsq.lookupd.addresses} is set), {@code true} or
 * {@code false}
 */
@ConfigurationProperties("sample")
public record SampleProperties(String topic, String receiptsTopic, Duration publishInterval, int exitAfter,
		Duration timeout, String embedded) {

}
