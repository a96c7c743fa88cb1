package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.protocol.NsqErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

/**
 * The registry's stop, as Spring's lifecycle calls it: its callback runs once every
 * container has drained, so that the context goes on to earlier phases only then.
 */
class NsqListenerEndpointRegistryTests {

	private final CapturingConsumerFactory consumers = new CapturingConsumerFactory();

	private final NsqListenerEndpointRegistry registry = new NsqListenerEndpointRegistry();

	@Test
	void stopCallsBackWhenTheLastContainerHasDrained() {
		register("orders", "billing");
		register("orders", "audit");
		this.registry.start();
		CompletableFuture<Void> billingStop = drainsUntilCompleted("billing");
		CompletableFuture<Void> auditStop = drainsUntilCompleted("audit");
		AtomicBoolean calledBack = new AtomicBoolean();
		this.registry.stop(() -> calledBack.set(true));
		assertThat(this.registry.isRunning()).isFalse();
		billingStop.complete(null);
		assertThat(calledBack).isFalse();
		auditStop.complete(null);
		assertThat(calledBack).isTrue();
	}

	@Test
	void stopWaitsForAStopAlreadyUnderWay() {
		DefaultNsqMessageListenerContainer billing = register("orders", "billing");
		this.registry.start();
		CompletableFuture<Void> billingStop = drainsUntilCompleted("billing");
		// a permanent failure under the STOP policy stops the container on its own
		this.consumers.builder("orders", "billing")
			.getListener()
			.onPermanentFailure("127.0.0.1:4150", new NsqAuthException(NsqErrorCode.E_AUTH_FAILED, "E_AUTH_FAILED"));
		assertThat(billing.isRunning()).isFalse();
		AtomicBoolean calledBack = new AtomicBoolean();
		this.registry.stop(() -> calledBack.set(true));
		assertThat(calledBack).as("the drain is not over").isFalse();
		billingStop.complete(null);
		assertThat(calledBack).isTrue();
	}

	@Test
	void stopOfStoppedContainersCallsBackAtOnce() {
		register("orders", "billing").setAutoStartup(false);
		AtomicBoolean calledBack = new AtomicBoolean();
		this.registry.stop(() -> calledBack.set(true));
		assertThat(calledBack).isTrue();
	}

	private DefaultNsqMessageListenerContainer register(String topic, String channel) {
		SimpleNsqListenerEndpoint endpoint = new SimpleNsqListenerEndpoint((message) -> {
		});
		endpoint.setId(channel);
		endpoint.setTopic(topic);
		endpoint.setChannel(channel);
		ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(this.consumers);
		factory.setShutdownTimeout(Duration.ofSeconds(5));
		return (DefaultNsqMessageListenerContainer) this.registry.registerListenerContainer(endpoint, factory, false);
	}

	/** Let the container's consumer drain until the returned future is completed. */
	private CompletableFuture<Void> drainsUntilCompleted(String channel) {
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		NsqConsumer consumer = this.consumers.get("orders", channel).consumer();
		given(consumer.stop(any())).willReturn(stopped);
		return stopped;
	}

}
