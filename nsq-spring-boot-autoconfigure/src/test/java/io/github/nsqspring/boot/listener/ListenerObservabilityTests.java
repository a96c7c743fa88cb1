package io.github.nsqspring.boot.listener;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.core.config.NsqConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener-side observability that needs no running nsqd: nsqlookupd poll failure meter.
 * (Dead letters in the envelope: DeadLetterPublishingRecovererTests.)
 */
class ListenerObservabilityTests {

	@Test
	void failedLookupdPollsAreCounted() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		NsqConfig config = NsqConfig.builder()
			.lookupd((lookupd) -> lookupd.pollInterval(Duration.ofMillis(100))
				.pollJitter(0)
				.pollTimeout(Duration.ofMillis(200)))
			.build();
		DefaultNsqConsumerFactory factory = new DefaultNsqConsumerFactory(config, List.of(),
				List.of("127.0.0.1:" + closedPort));
		NsqContainerProperties properties = new NsqContainerProperties("orders", "billing");
		properties.setMessageListener((message) -> {
		});
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		properties.setListenerMetrics(MicrometerNsqListenerMetrics.factory(meters));
		DefaultNsqMessageListenerContainer container = new DefaultNsqMessageListenerContainer(factory, properties);
		container.setListenerId("orders-billing");
		container.start();
		try {
			await().untilAsserted(() -> assertThat(meters.get("nsq.consumer.lookupd.poll.failures")
				.tags("listener.id", "orders-billing", "topic", "orders", "channel", "billing")
				.counter()
				.count()).isGreaterThanOrEqualTo(2));
			assertThat(meters.get("nsq.consumer.connections").gauge().value()).isZero();
		}
		finally {
			container.stop();
		}
	}

}
