package io.github.nsqspring.core.producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.config.PublishStrategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BalancingProducerTests {

	private FakeNsqd first;

	private FakeNsqd second;

	private NsqProducer producer;

	@BeforeEach
	void start() throws Exception {
		this.first = new FakeNsqd();
		this.second = new FakeNsqd();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.producer != null) {
			this.producer.close();
		}
		this.first.close();
		this.second.close();
		await().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((t) -> t.isAlive() && t.getName().startsWith("nsq-reader-")));
	}

	private NsqProducerBuilder builder(PublishStrategy strategy) {
		return NsqProducer.builder()
			.nsqd(this.first.address(), this.second.address())
			.producer((producer) -> producer.strategy(strategy)
				.reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
				.closeTimeout(Duration.ofSeconds(2)));
	}

	/**
	 * A publish racing with the detection of a dropped connection fails as "may have been
	 * published" (correctly); these tests are about what follows.
	 */
	private void awaitDisconnected(FakeNsqd nsqd) {
		await().until(() -> !((BalancingProducer) this.producer).isConnected(nsqd.address()));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void severalAddressesBuildABalancingProducer() {
		this.producer = builder(PublishStrategy.ROUND_ROBIN).build();
		assertThat(this.producer).isInstanceOf(BalancingProducer.class);
		assertThat(NsqProducer.builder().nsqd(this.first.address()).build()).isInstanceOf(NsqdProducer.class);
		assertThatThrownBy(() -> NsqProducer.builder().build()).isInstanceOf(NsqConfigException.class);
		assertThatThrownBy(() -> NsqProducer.builder().nsqd("nohost").build()).isInstanceOf(NsqConfigException.class);
	}

	@Test
	void roundRobinSpreadsPublishesEvenly() {
		this.producer = builder(PublishStrategy.ROUND_ROBIN).build();
		for (int i = 0; i < 100; i++) {
			this.producer.publish("t", bytes("m" + i));
		}
		assertThat(this.first.bodies()).hasSize(50);
		assertThat(this.second.bodies()).hasSize(50);
	}

	@Test
	void roundRobinSkipsADeadNodeWithoutFailingCallersAndReturnsToItAfterRecovery() throws Exception {
		this.producer = builder(PublishStrategy.ROUND_ROBIN).build();
		this.producer.publish("t", bytes("warm1"));
		this.producer.publish("t", bytes("warm2"));
		this.first.down();
		awaitDisconnected(this.first);
		// a publish that fails to connect (nothing written) moves on to the next node
		for (int i = 0; i < 20; i++) {
			this.producer.publish("t", bytes("during" + i));
		}
		assertThat(this.second.bodies()).hasSize(21);
		this.first.up();
		await().untilAsserted(() -> {
			this.producer.publish("t", bytes("after"));
			assertThat(this.first.bodies()).contains("after");
		});
	}

	@Test
	void failoverPrefersTheFirstNodeAndReturnsToIt() throws Exception {
		this.producer = builder(PublishStrategy.FAILOVER).build();
		for (int i = 0; i < 10; i++) {
			this.producer.publish("t", bytes("a" + i));
		}
		assertThat(this.first.bodies()).hasSize(10);
		assertThat(this.second.bodies()).isEmpty();
		this.first.down();
		awaitDisconnected(this.first);
		for (int i = 0; i < 10; i++) {
			this.producer.publish("t", bytes("b" + i));
		}
		assertThat(this.second.bodies()).hasSize(10);
		this.first.up();
		await().untilAsserted(() -> {
			this.producer.publish("t", bytes("c"));
			assertThat(this.first.bodies()).contains("c");
		});
		int before = this.second.bodies().size();
		for (int i = 0; i < 10; i++) {
			this.producer.publish("t", bytes("d" + i));
		}
		assertThat(this.second.bodies()).hasSize(before);
	}

	@Test
	void aCommandThatMayHaveReachedNsqdIsNeverSentElsewhere() {
		this.producer = builder(PublishStrategy.FAILOVER).build();
		this.producer.publish("t", bytes("warm"));
		this.first.holdAnswers();
		CompletableFuture<PublishResult> owed = this.producer.publishAsync("t", bytes("owed"));
		await().untilAsserted(() -> assertThat(this.first.seen).hasSize(2));
		this.first.dropConnections();
		await().until(owed::isDone);
		assertThat(owed).isCompletedExceptionally();
		assertThat(owed.handle((r, ex) -> ex).join()).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("may or may not");
		assertThat(this.second.seen).isEmpty();
	}

	@Test
	void allNodesDownFailsAtOnceNamingThem() throws Exception {
		this.producer = builder(PublishStrategy.ROUND_ROBIN)
			.producer((producer) -> producer.reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(10)))
			.build();
		this.first.down();
		this.second.down();
		assertThatThrownBy(() -> this.producer.publish("t", bytes("x"))).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("no nsqd available")
			.hasMessageContaining(this.first.address())
			.hasMessageContaining(this.second.address());
		// both are now waiting to reconnect: the next call does not dial at all
		assertThatThrownBy(() -> this.producer.publish("t", bytes("y"))).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("waiting to reconnect");
	}

	@Test
	void badInputFailsOnceWithoutTryingOtherNodes() {
		this.producer = builder(PublishStrategy.ROUND_ROBIN).build();
		assertThat(this.producer.publishAsync("bad topic!", bytes("x"))).isCompletedExceptionally();
		assertThat(this.first.connections).hasValue(0);
		assertThat(this.second.connections).hasValue(0);
	}

	@Test
	void closeWaitsForEveryNodeThenRefusesCalls() {
		this.producer = builder(PublishStrategy.ROUND_ROBIN).build();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			futures.add(this.producer.publishAsync("t", bytes("m" + i)));
		}
		this.producer.close();
		assertThat(futures).allMatch((f) -> f.isDone() && !f.isCompletedExceptionally());
		assertThat(this.first.bodies().size() + this.second.bodies().size()).isEqualTo(200);
		assertThatThrownBy(() -> this.producer.publish("t", bytes("late"))).isInstanceOf(ProducerClosedException.class);
	}

}
