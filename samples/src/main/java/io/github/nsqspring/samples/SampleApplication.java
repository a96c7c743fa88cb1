package io.github.nsqspring.samples;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqAdminException;
import io.github.nsqspring.boot.admin.NsqdStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Publishes orders with NsqTemplate and consumes them on two channels with
 * {@code @NsqListener}, discovering nsqd through nsqlookupd; billing replies with a
 * receipt ({@code @SendTo}) that a third listener receives: orders → billing → receipts.
 * The topics and channels are declared at startup ({@link OrderDeclarations}). Exits by
 * itself once each channel received {@code sample.exit-after} messages (0: runs until
 * stopped).
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	private static final Log logger = LogFactory.getLog(SampleApplication.class);

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class, args);
		SampleProperties properties = context.getBean(SampleProperties.class);
		if (properties.exitAfter() <= 0) {
			return;
		}
		boolean done = context.getBean(ReceivedMessages.class).await(properties.timeout());
		if (done) {
			logger.info(
					"All channels (billing, audit, mailer) received " + properties.exitAfter() + " messages: stopping");
			NsqAdmin admin = context.getBean(NsqAdmin.class);
			logChannels(admin, properties.topic());
			logChannels(admin, properties.receiptsTopic());
		}
		else {
			logger.error(
					"Channels did not receive " + properties.exitAfter() + " messages within " + properties.timeout());
		}
		System.exit(SpringApplication.exit(context, () -> done ? 0 : 1));
	}

	/**
	 * What nsqd says about the sample's channels, read through {@link NsqAdmin}.
	 */
	private static void logChannels(NsqAdmin admin, String topic) {
		try {
			for (NsqdStats node : admin.stats()) {
				node.topic(topic)
					.ifPresent((stats) -> stats.channels()
						.forEach((channel) -> logger.info("nsqd " + node.node() + " " + topic + "/" + channel.name()
								+ ": " + channel.messageCount() + " messages, depth " + channel.depth() + ", in flight "
								+ channel.inFlightCount())));
			}
		}
		catch (NsqAdminException ex) {
			logger.warn("Could not read nsqd's stats: " + ex.getMessage());
		}
	}

}
