package io.github.nsqspring.samples;

import java.nio.charset.StandardCharsets;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Two channels on the same topic: each gets its own copy of every order. Consumers find
 * nsqd through nsqlookupd ({@code nsq.lookupd.addresses}).
 */
@Component
class OrderListeners {

	private static final Log logger = LogFactory.getLog(OrderListeners.class);

	private final ReceivedMessages received;

	OrderListeners(ReceivedMessages received) {
		this.received = received;
	}

	/**
	 * The billing channel: the JSON body arrives as an {@link Order}; returning finishes
	 * the message, throwing would requeue it with backoff.
	 * @param order the order
	 * @param attempts the delivery attempt
	 */
	@NsqListener(id = "billing", topic = "${sample.topic}", channel = "billing")
	void bill(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
		logger.info("[billing] received order " + order.number() + " from " + order.customer() + " for "
				+ order.amount() + " (attempt " + attempts + ")");
		this.received.received("billing");
	}

	/**
	 * The audit channel, acknowledging by hand: taking the raw {@link NsqMessage} means
	 * the listener answers nsqd itself (finish, requeue with a delay, touch).
	 * @param message the raw message
	 */
	@NsqListener(id = "audit", topic = "${sample.topic}", channel = "audit")
	void audit(NsqMessage message) {
		String json = new String(message.body(), StandardCharsets.UTF_8);
		logger.info("[audit] received message " + message.idText() + " from " + message.nsqdAddress() + ": " + json);
		message.finish();
		this.received.received("audit");
	}

}
