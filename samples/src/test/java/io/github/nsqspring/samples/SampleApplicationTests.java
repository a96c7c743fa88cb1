package io.github.nsqspring.samples;

import java.time.Duration;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample end to end with its embedded nsqd and nsqlookupd: both channels receive the
 * published orders.
 */
@SpringBootTest(properties = { "sample.publish-interval=50ms", "sample.exit-after=5" })
class SampleApplicationTests {

	@Autowired
	private ReceivedMessages received;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Test
	void bothChannelsReceiveThePublishedOrders() throws InterruptedException {
		assertThat(this.received.await(Duration.ofSeconds(30))).isTrue();
		assertThat(this.cluster.nsqd(0).channelNames("orders")).containsExactlyInAnyOrder("billing", "audit");
	}

}
