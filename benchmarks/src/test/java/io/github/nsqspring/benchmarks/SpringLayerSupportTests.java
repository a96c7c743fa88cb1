package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.client.BenchClient.SubscribeSpec;
import io.github.nsqspring.benchmarks.client.BenchClient.Subscription;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spring-consume's application against the embedded nsqd.
 */
@EmbeddedNsq
class SpringLayerSupportTests {

	@Test
	void theListenerStartsOnlyAfterTheRunnerWasToldTheApplicationIsUp(NsqCluster nsq) throws Exception {
		// the runner waits for the JIT between the two, so that compiling the
		// application's startup is not timed as the listener's CPU
		NsqdHttp http = new NsqdHttp(nsq.nsqdHttpAddress(0));
		String topic = "spring_layer_start";
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			bodies.add(BodyCodec.encode(i, System.nanoTime(), 64));
		}
		http.multiPublish(topic, bodies);
		DeliveryTracker tracker = new DeliveryTracker(100);
		AtomicReference<String> whenTold = new AtomicReference<>();
		SubscribeSpec spec = new SubscribeSpec(nsq.nsqdTcpAddress(0), List.of(), topic, "bench", 100, 1, null, null,
				false);
		Subscription subscription = new SpringLayerSupport().consume(spec, tracker, () -> {
			try {
				NsqdStats.ChannelStats channel = http.stats(topic).channel("bench");
				whenTold.set(((channel != null) ? channel.clientCount() : 0) + " clients, " + tracker.deliveries()
						+ " deliveries");
			}
			catch (Exception ex) {
				whenTold.set(ex.toString());
			}
		});
		try {
			assertThat(whenTold).hasValue("0 clients, 0 deliveries");
			assertThat(tracker.awaitAll(30, TimeUnit.SECONDS)).as("all consumed once the listener started").isTrue();
		}
		finally {
			subscription.stop();
		}
	}

}
