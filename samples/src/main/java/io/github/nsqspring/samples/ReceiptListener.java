package io.github.nsqspring.samples;

import io.github.nsqspring.boot.annotation.NsqListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The end of the pipeline orders → billing → receipts: a mailer channel on the receipts
 * topic that billing's {@code @SendTo} publishes to.
 */
@Component
class ReceiptListener {

	private static final Log logger = LogFactory.getLog(ReceiptListener.class);

	private final ReceivedMessages received;

	ReceiptListener(ReceivedMessages received) {
		this.received = received;
	}

	@NsqListener(id = "mailer", topic = "${sample.receipts-topic}", channel = "mailer")
	void mail(Receipt receipt) {
		logger.info("[mailer] received receipt for order " + receipt.orderNumber() + ": " + receipt.amount()
				+ " billed to " + receipt.customer());
		this.received.received("mailer", receipt.orderNumber());
	}

}
