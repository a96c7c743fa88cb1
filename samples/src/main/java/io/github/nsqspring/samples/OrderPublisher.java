package io.github.nsqspring.samples;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.boot.core.NsqOperations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes an order every {@code sample.publish-interval} through {@link NsqOperations}
 * (the auto-configured NsqTemplate). The order becomes JSON on the wire, so any NSQ
 * client can read it.
 */
@Component
class OrderPublisher {

	private static final Log logger = LogFactory.getLog(OrderPublisher.class);

	private static final List<String> CUSTOMERS = List.of("ada", "grace", "linus", "barbara");

	private final NsqOperations nsq;

	private final SampleProperties properties;

	private final AtomicLong sequence = new AtomicLong();

	OrderPublisher(NsqOperations nsq, SampleProperties properties) {
		this.nsq = nsq;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${sample.publish-interval}", initialDelay = 500)
	void publish() {
		long number = this.sequence.incrementAndGet();
		Order order = new Order(number, CUSTOMERS.get((int) (number % CUSTOMERS.size())),
				BigDecimal.valueOf(number * 125, 2));
		try {
			this.nsq.sendAsync(this.properties.topic(), order).whenComplete((result, ex) -> {
				if (ex != null) {
					logger.warn("Publishing order " + number + " failed (is nsqd up?): " + ex.getMessage());
				}
				else {
					logger.info("Published order " + number + " to " + result.topic() + " on " + result.nsqdAddress());
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Publishing order " + number + " failed: " + ex.getMessage());
		}
	}

}
