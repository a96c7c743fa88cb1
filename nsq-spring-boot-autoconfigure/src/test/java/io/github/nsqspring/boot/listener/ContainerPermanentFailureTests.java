package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.event.ConsumerFailedToStartEvent;
import io.github.nsqspring.boot.event.ConsumerStartingEvent;
import io.github.nsqspring.boot.event.ConsumerStoppedEvent;
import io.github.nsqspring.boot.event.ConsumerStoppingEvent;
import io.github.nsqspring.boot.event.PermanentConnectionFailureEvent;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.protocol.NsqErrorCode;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.nsqd.EmbeddedNsqd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * What a listener container does with a failure retrying cannot heal, under each
 * {@link StartupFailurePolicy}: at its start, and on an nsqd its consumer meets later.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContainerPermanentFailureTests {

	private final CapturingConsumerFactory consumers = new CapturingConsumerFactory();

	private final List<Object> events = new CopyOnWriteArrayList<>();

	@Test
	void underStopALaterPermanentFailureIsPublishedLoggedWithTheFixAndStopsTheContainer(CapturedOutput output) {
		DefaultNsqMessageListenerContainer container = startedContainer(StartupFailurePolicy.STOP);
		NsqConsumer consumer = this.consumers.get("orders", "billing").consumer();
		listener().onPermanentFailure("127.0.0.1:4150",
				new NsqAuthException(NsqErrorCode.E_UNAUTHORIZED, "E_UNAUTHORIZED AUTH no authorizations found"));
		assertThat(container.isRunning()).isFalse();
		verify(consumer).stop(Duration.ofSeconds(30));
		assertThat(this.events).hasExactlyElementsOfTypes(PermanentConnectionFailureEvent.class,
				ConsumerStoppingEvent.class, ConsumerStoppedEvent.class);
		PermanentConnectionFailureEvent event = (PermanentConnectionFailureEvent) this.events.get(0);
		assertThat(event.getNsqdAddress()).isEqualTo("127.0.0.1:4150");
		assertThat(event.getCause()).isInstanceOf(NsqAuthException.class);
		assertThat(event.getRemedy()).contains("grant the identity of auth_secret this topic and channel");
		assertThat(event.isContainerStopping()).isTrue();
		assertThat(output).contains("ERROR")
			.contains("Listener 'billing' (orders/billing) cannot consume from nsqd 127.0.0.1:4150")
			.contains("stopping its container (startup failure policy STOP). To fix: grant the identity");
	}

	@Test
	void underContinueALaterPermanentFailureIsPublishedAndLoggedAndTheContainerRuns(CapturedOutput output) {
		DefaultNsqMessageListenerContainer container = startedContainer(StartupFailurePolicy.CONTINUE);
		NsqConsumer consumer = this.consumers.get("orders", "billing").consumer();
		listener().onPermanentFailure("127.0.0.1:4150",
				new NsqProtocolException(NsqErrorCode.E_BAD_BODY, "E_BAD_BODY IDENTIFY msg timeout invalid"));
		assertThat(container.isRunning()).isTrue();
		verify(consumer, never()).stop(any());
		assertThat(this.events).singleElement()
			.isInstanceOfSatisfying(PermanentConnectionFailureEvent.class,
					(event) -> assertThat(event.isContainerStopping()).isFalse());
		assertThat(output).contains("goes on with its other nsqd, if any (startup failure policy CONTINUE)")
			.contains("To fix: change the setting nsqd rejects");
		container.stop();
	}

	@Test
	void aFailureReportedByAnEarlierConsumerIsIgnored() {
		DefaultNsqMessageListenerContainer container = startedContainer(StartupFailurePolicy.STOP);
		ConsumerListener first = listener();
		container.stop();
		container.start();
		this.events.clear();
		first.onPermanentFailure("127.0.0.1:4150", new NsqAuthException(NsqErrorCode.E_AUTH_FAILED, "E_AUTH_FAILED"));
		assertThat(container.isRunning()).isTrue();
		assertThat(this.events).isEmpty();
		container.stop();
	}

	@Test
	void aPermanentFailureAtTheStartFailsItWithTheFixUnderStop() {
		try (EmbeddedNsqd strict = EmbeddedNsqd
			.start(NsqdOptions.builder().maxMsgTimeout(Duration.ofSeconds(5)).build())) {
			DefaultNsqMessageListenerContainer container = container(new DefaultNsqConsumerFactory(
					NsqConfig.builder().consumer((consumer) -> consumer.msgTimeout(Duration.ofSeconds(10))).build(),
					List.of(strict.tcpAddress()), List.of()), StartupFailurePolicy.STOP);
			assertThatIllegalStateException().isThrownBy(container::start)
				.withMessageContaining("Listener container 'billing' for orders/billing failed to start")
				.withMessageContaining("E_BAD_BODY")
				.withMessageContaining("To fix: change the setting nsqd rejects")
				.withCauseInstanceOf(NsqProtocolException.class);
			assertThat(container.isRunning()).isFalse();
			assertThat(this.events).hasExactlyElementsOfTypes(ConsumerStartingEvent.class,
					ConsumerFailedToStartEvent.class);
		}
	}

	@Test
	void anNsqdDiscoveredLaterThatRejectsTheConsumerStopsTheContainerUnderStop() throws Exception {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(NsqClusterSpec.of(1, true));
				EmbeddedNsqd strict = EmbeddedNsqd.start(NsqdOptions.builder()
					.maxMsgTimeout(Duration.ofSeconds(5))
					.lookupdTcpAddresses(List.of(cluster.lookupdTcpAddress()))
					.build());
				NsqProducer producer = NsqProducer.builder().nsqd(cluster.nsqdTcpAddress(0)).build()) {
			producer.publish("orders", "first".getBytes());
			NsqConfig config = NsqConfig.builder()
				.consumer((consumer) -> consumer.msgTimeout(Duration.ofSeconds(10)))
				.lookupd((lookupd) -> lookupd.pollInterval(Duration.ofMillis(100)).pollJitter(0))
				.build();
			Set<String> handled = ConcurrentHashMap.newKeySet();
			DefaultNsqMessageListenerContainer container = container(
					new DefaultNsqConsumerFactory(config, List.of(), List.of(cluster.lookupdHttpAddress())),
					StartupFailurePolicy.STOP);
			container.getContainerProperties().setMessageListener((message) -> handled.add(new String(message.body())));
			container.start();
			try {
				await().until(() -> handled.contains("first"));
				strict.publish("orders", "on the strict nsqd".getBytes());
				await().until(() -> !container.isRunning()
						&& this.events.stream().anyMatch((event) -> event instanceof ConsumerStoppedEvent));
				assertThat(this.events).filteredOn(PermanentConnectionFailureEvent.class::isInstance)
					.singleElement()
					.isInstanceOfSatisfying(PermanentConnectionFailureEvent.class, (event) -> {
						assertThat(event.getNsqdAddress()).isEqualTo(strict.tcpAddress());
						assertThat(event.isContainerStopping()).isTrue();
					});
			}
			finally {
				container.stop();
			}
		}
	}

	private DefaultNsqMessageListenerContainer startedContainer(StartupFailurePolicy policy) {
		DefaultNsqMessageListenerContainer container = container(this.consumers, policy);
		container.start();
		this.events.clear();
		return container;
	}

	private DefaultNsqMessageListenerContainer container(NsqConsumerFactory factory, StartupFailurePolicy policy) {
		NsqContainerProperties properties = new NsqContainerProperties("orders", "billing");
		properties.setMessageListener((message) -> {
		});
		properties.setStartupFailurePolicy(policy);
		DefaultNsqMessageListenerContainer container = new DefaultNsqMessageListenerContainer(factory, properties);
		container.setListenerId("billing");
		container.setApplicationEventPublisher(this.events::add);
		return container;
	}

	/** The consumer listener the container gave its last consumer. */
	private ConsumerListener listener() {
		return this.consumers.builder("orders", "billing").getListener();
	}

}
