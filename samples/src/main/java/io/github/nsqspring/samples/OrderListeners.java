package io.github.nsqspring.samples;

import java.nio.charset.StandardCharsets;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.core.consumer.NsqMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two channels on the same topic: each gets its own copy of every order. Consumers find
 * nsqd through nsqlookupd ({@code nsq.lookupd.addresses}). Billing replies with a
 * {@link Receipt} to the receipts topic ({@link ReceiptListener} reads it).
 */
@Component
class OrderListeners {

	private static final Log logger = LogFactory.getLog(OrderListeners.class);

	private final ReceivedMessages received;

	private final JsonMapper jsonMapper;

	OrderListeners(ReceivedMessages received, JsonMapper jsonMapper) {
		this.received = received;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The billing channel: the JSON body arrives as an {@link Order}. The returned
	 * {@link Receipt} is published to the receipts topic before the order is finished; if
	 * that publish failed, the order would be requeued with backoff, as when this method
	 * throws.
	 * @param order the order
	 * @param attempts the delivery attempt
	 * @return the receipt to publish
	 */
	@NsqListener(id = "billing", topic = "${sample.topic}", channel = "billing")
	@SendTo("${sample.receipts-topic}")
	Receipt bill(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
		logger.info("[billing] received order " + order.number() + " from " + order.customer() + " for "
				+ order.amount() + " (attempt " + attempts + ")");
		this.received.received("billing", order.number());
		return new Receipt(order.number(), order.customer(), order.amount());
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
		this.received.received("audit", this.jsonMapper.readValue(message.body(), Order.class).number());
	}

}
