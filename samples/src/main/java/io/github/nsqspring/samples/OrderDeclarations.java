package io.github.nsqspring.samples;

import io.github.nsqspring.boot.admin.NsqDeclarables;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The topics and channels this sample depends on, declared as beans: nsq-spring creates
 * them on every nsqd it knows (nsq.nsqd.http-addresses and the nodes nsqlookupd lists)
 * when the application starts, before anything publishes or consumes.
 * <p>
 * Why: nsqd gives a message only to the channels that exist when it is published. Without
 * the declaration, a listener that finds nsqd through nsqlookupd creates its channel only
 * once it sees the topic, after the first publish, and the first orders would reach only
 * the channel that happened to subscribe first. (Listeners declare their own channel when
 * they start too, {@code nsq.admin.declare-listener-channels}; a bean like this one is
 * how a service declares channels it does not consume itself, for example a publisher
 * declaring its consumers' channels.)
 */
@Configuration(proxyBeanMethods = false)
class OrderDeclarations {

	@Bean
	NsqDeclarables orderTopicAndChannels(SampleProperties properties) {
		return NsqDeclarables.topicWithChannels(properties.topic(), "billing", "audit");
	}

	@Bean
	NsqDeclarables receiptTopicAndChannel(SampleProperties properties) {
		return NsqDeclarables.topicWithChannels(properties.receiptsTopic(), "mailer");
	}

}
