package io.github.nsqspring.samples;

import java.time.Duration;

import io.github.nsqspring.boot.admin.NsqChannel;
import io.github.nsqspring.boot.admin.NsqDeclarer;
import io.github.nsqspring.boot.admin.NsqTopic;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample end to end with its embedded nsqd and nsqlookupd: both channels receive the
 * published orders, and billing's receipts reach the mailer.
 */
@SpringBootTest(properties = { "sample.publish-interval=50ms", "sample.exit-after=5" })
class SampleApplicationTests {

	@Autowired
	private ReceivedMessages received;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Autowired
	private NsqDeclarer declarer;

	@Test
	void bothChannelsReceiveEveryPublishedOrderAndBillingRepliesWithReceipts() throws InterruptedException {
		assertThat(this.received.await(Duration.ofSeconds(30))).isTrue();
		// the channels exist before the first publish, so neither misses the first orders
		assertThat(this.received.orders("billing")).contains(1L, 2L, 3L, 4L, 5L);
		assertThat(this.received.orders("audit")).contains(1L, 2L, 3L, 4L, 5L);
		// the receipts channel is declared too, so the first receipts reach the mailer
		assertThat(this.received.orders("mailer")).contains(1L, 2L, 3L, 4L, 5L);
		assertThat(this.cluster.nsqd(0).channelNames("orders")).containsExactlyInAnyOrder("billing", "audit");
		assertThat(this.cluster.nsqd(0).channelNames("receipts")).containsExactly("mailer");
	}

	@Test
	void theTopicAndChannelsAreDeclaredByTheSample() {
		assertThat(this.declarer.getDeclarables()).containsExactlyInAnyOrder(new NsqTopic("orders"),
				new NsqChannel("orders", "billing"), new NsqChannel("orders", "audit"), new NsqTopic("receipts"),
				new NsqChannel("receipts", "mailer"));
		assertThat(this.declarer.isRetrying()).isFalse();
	}

}
