package io.github.nsqspring.boot.listener;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.envelope.NsqEnvelope;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.producer.NsqProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Listener-side observability that needs no running nsqd: nsqlookupd poll failure meter,
 * dead letters in the envelope.
 */
class ListenerObservabilityTests {

	@Test
	void failedLookupdPollsAreCounted() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		NsqConfig config = NsqConfig.builder()
			.lookupdPollInterval(Duration.ofMillis(100))
			.lookupdPollJitter(0)
			.lookupdPollTimeout(Duration.ofMillis(200))
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

	@Test
	void deadLetterInTheEnvelopeKeepsOriginalHeadersAndAddsTheFailure() throws Exception {
		NsqProducer producer = mock(NsqProducer.class);
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(producer);
		recoverer.setEnvelopeEnabled(true);
		byte[] original = NsqEnvelope.encode(Map.of("traceparent", "00-abc-def-01"),
				"payload".getBytes(StandardCharsets.UTF_8));
		TestNsqMessage message = new TestNsqMessage(original, 3);
		recoverer.recover(message, "orders", "billing", new IllegalStateException("boom"));
		ArgumentCaptor<byte[]> body = ArgumentCaptor.forClass(byte[].class);
		then(producer).should().publish(eq("orders.dlq"), body.capture());
		NsqEnvelope deadLetter = NsqEnvelope.decode(body.getValue());
		assertThat(deadLetter.getPayload()).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
		assertThat(deadLetter.getHeaders()).containsEntry("traceparent", "00-abc-def-01")
			.containsEntry(NsqHeaders.DLT_EXCEPTION_CLASS, IllegalStateException.class.getName())
			.containsEntry(NsqHeaders.DLT_EXCEPTION_MESSAGE, "boom")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_TOPIC, "orders")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_CHANNEL, "billing")
			.containsEntry(NsqHeaders.DLT_ATTEMPTS, "3")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_ID, message.idText());
	}

	@Test
	void deadLetterWithoutEnvelopeIsTheOriginalBody() throws Exception {
		NsqProducer producer = mock(NsqProducer.class);
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(producer);
		TestNsqMessage message = new TestNsqMessage("raw", 5);
		recoverer.recover(message, "orders", "billing", new IllegalStateException("boom"));
		then(producer).should().publish("orders.dlq", message.body());
	}

}
