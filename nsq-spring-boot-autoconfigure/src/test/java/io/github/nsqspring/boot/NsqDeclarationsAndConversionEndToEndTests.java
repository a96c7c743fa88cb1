package io.github.nsqspring.boot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqDeclarables;
import io.github.nsqspring.boot.admin.NsqdStats;
import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application against two embedded nsqd and an nsqlookupd: declared topics
 * and channels, NSQ-only conversion with type hints in the envelope, and dead letters
 * published through the template.
 */
@SpringBootTest(classes = NsqDeclarationsAndConversionEndToEndTests.App.class,
		properties = { "nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0", "nsq.envelope.enabled=true",
				"nsq.listener.dead-letter.enabled=true", "nsq.consumer.default-requeue-delay=50ms",
				"nsq.consumer.backoff.multiplier=10ms", "nsq.consumer.max-in-flight=10" })
@EmbeddedNsq(nodes = 2, lookupd = true)
class NsqDeclarationsAndConversionEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private NsqOperations nsq;

	@Autowired
	private App app;

	@Autowired
	private EmbeddedNsqCluster cluster;

	@Autowired
	private NsqAdmin admin;

	@Autowired
	private NsqListenerEndpointRegistry registry;

	@Autowired
	private SimpleMeterRegistry meters;

	@Test
	void declaredChannelsExistOnEveryNodeBeforeAnythingIsPublished() {
		for (int node = 0; node < 2; node++) {
			assertThat(this.cluster.nsqd(node).channelNames("e2e-declared")).containsExactlyInAnyOrder("early", "late");
			// listener channels too, though nothing was published to their topics yet
			assertThat(this.cluster.nsqd(node).channelNames("e2e-events")).containsExactly("events");
		}
	}

	@Test
	void aDeclaredChannelKeepsItsMessagesUntilItsListenerStarts() {
		this.nsq.send("e2e-declared", "before the late listener");
		await().atMost(WAIT).until(() -> this.app.early.contains("before the late listener"));
		assertThat(this.app.late).isEmpty();
		this.registry.getListenerContainer("late").start();
		await().atMost(WAIT).until(() -> this.app.late.contains("before the late listener"));
	}

	@Test
	void anUnrelatedMessageConverterBeanDoesNotTakeOverNsqPayloads() {
		this.nsq.send("e2e-orders", new Order("A-1", 2));
		await().atMost(WAIT).until(() -> this.app.orders.contains(new Order("A-1", 2)));
	}

	@Test
	void interfaceListenersReceiveTheTypeThePublisherSent() {
		this.nsq.send("e2e-events", new Shipped("A-2", "DHL"));
		this.nsq.send("e2e-events", new Cancelled("A-3", "changed mind"));
		await().atMost(WAIT).until(() -> this.app.events.size() == 2);
		assertThat(this.app.events).containsExactlyInAnyOrder(new Shipped("A-2", "DHL"),
				new Cancelled("A-3", "changed mind"));
	}

	@Test
	void deadLettersGoThroughTheTemplateWithTheFailureAndTheOriginalHeaders() {
		this.nsq.send("e2e-poison",
				MessageBuilder.withPayload(new Order("P-1", 1)).setHeader("tenant", "acme").build());
		await().atMost(WAIT).until(() -> !this.app.deadLetters.isEmpty());
		Message<Order> deadLetter = this.app.deadLetters.get(0);
		assertThat(deadLetter.getPayload()).isEqualTo(new Order("P-1", 1));
		assertThat(deadLetter.getHeaders()).containsEntry("tenant", "acme")
			.containsEntry(NsqHeaders.TYPE, Order.class.getName())
			.containsEntry(NsqHeaders.DLT_EXCEPTION_CLASS, IllegalStateException.class.getName())
			.containsEntry(NsqHeaders.DLT_EXCEPTION_MESSAGE, "poison P-1")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_TOPIC, "e2e-poison")
			.containsEntry(NsqHeaders.DLT_ORIGINAL_CHANNEL, "worker");
		// published by the template: metered like every send
		assertThat(this.meters.get("nsq.publish.messages")
			.tags("topic", "e2e-poison.dlq", "result", "success")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void theAdminSeesWhatTheApplicationDid() {
		this.nsq.send("e2e-declared", "counted");
		await().atMost(WAIT).until(() -> this.app.early.contains("counted"));
		long published = this.admin.stats()
			.stream()
			.flatMap((node) -> node.topic("e2e-declared").stream())
			.mapToLong(NsqdStats.TopicStats::messageCount)
			.sum();
		assertThat(published).isGreaterThanOrEqualTo(1);
	}

	record Order(String id, int quantity) {
	}

	sealed interface OrderEvent permits Shipped, Cancelled {

	}

	record Shipped(String order, String carrier) implements OrderEvent {
	}

	record Cancelled(String order, String reason) implements OrderEvent {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> early = new CopyOnWriteArrayList<>();

		final List<String> late = new CopyOnWriteArrayList<>();

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<OrderEvent> events = new CopyOnWriteArrayList<>();

		final List<Message<Order>> deadLetters = new CopyOnWriteArrayList<>();

		@Bean
		NsqDeclarables declared() {
			return NsqDeclarables.topicWithChannels("e2e-declared", "early", "late");
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		/**
		 * What Spring Integration or STOMP support may define: a generic converter that
		 * would turn every payload into the same text.
		 */
		@Bean
		MessageConverter unrelatedMessageConverter() {
			return new MessageConverter() {

				@Override
				public Object fromMessage(Message<?> message, Class<?> targetClass) {
					return "hijacked";
				}

				@Override
				public Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
					return MessageBuilder.withPayload("hijacked".getBytes(StandardCharsets.UTF_8)).build();
				}

			};
		}

		@NsqListener(topic = "e2e-declared", channel = "early")
		void early(String body) {
			this.early.add(body);
		}

		@NsqListener(id = "late", topic = "e2e-declared", channel = "late", autoStartup = "false")
		void late(String body) {
			this.late.add(body);
		}

		@NsqListener(topic = "e2e-orders", channel = "orders")
		void orders(Order order) {
			this.orders.add(order);
		}

		@NsqListener(topic = "e2e-events", channel = "events")
		void events(OrderEvent event) {
			this.events.add(event);
		}

		@NsqListener(topic = "e2e-poison", channel = "worker", maxAttempts = "2")
		void poison(Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
			throw new IllegalStateException("poison " + order.id());
		}

		@NsqListener(topic = "e2e-poison.dlq", channel = "inspect")
		void deadLetters(Message<Order> deadLetter) {
			this.deadLetters.add(deadLetter);
		}

	}

}
