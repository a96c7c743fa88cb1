package io.github.nsqspring.core.producer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.PublishStrategy;
import io.github.nsqspring.core.producer.ProducerNodeStats.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link NsqProducer#stats()} against scripted nsqd: what was acknowledged, what failed
 * for the caller, what is owed, and each nsqd's state and last error.
 */
class ProducerStatsTests {

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
	}

	private NsqProducerBuilder single() {
		return NsqProducer.builder()
			.nsqd(this.first.address())
			.producer((settings) -> settings.reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(10))
				.closeTimeout(Duration.ofSeconds(2)));
	}

	private NsqProducerBuilder both() {
		return NsqProducer.builder()
			.nsqd(this.first.address(), this.second.address())
			.producer((settings) -> settings.strategy(PublishStrategy.FAILOVER)
				.reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(10))
				.closeTimeout(Duration.ofSeconds(2)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private ProducerNodeStats node(int index) {
		return this.producer.stats().nodes().get(index);
	}

	@Test
	void aFreshProducerHasConnectedNowhereAndCountedNothing() {
		this.producer = single().build();
		assertThat(this.producer.stats()).isEqualTo(new ProducerStats(0, 0, 0,
				List.of(new ProducerNodeStats(this.first.address(), State.NOT_CONNECTED, 0, 0, 0, null))));
	}

	@Test
	void everyAcknowledgedMessageIsCountedBeforeItsCallerReturns() {
		this.producer = single().build();
		for (int i = 0; i < 3; i++) {
			this.producer.publish("t", bytes("m" + i));
		}
		this.producer.multiPublish("t", List.of(bytes("a"), bytes("b"), bytes("c"), bytes("d")));
		this.producer.deferredPublish("t", Duration.ofSeconds(1), bytes("later"));
		// read at once: no waiting, the count precedes the caller's return
		ProducerStats stats = this.producer.stats();
		assertThat(stats.published()).isEqualTo(8);
		assertThat(stats.failed()).isZero();
		assertThat(stats.pending()).isZero();
		assertThat(stats.nodes())
			.containsExactly(new ProducerNodeStats(this.first.address(), State.CONNECTED, 0, 8, 0, null));
	}

	@Test
	void coalescedPublishesCountEachMessage() {
		this.producer = single().build();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			futures.add(this.producer.publishAsync("t", bytes("m" + i)));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
		assertThat(this.first.bodies()).hasSize(500);
		assertThat(this.producer.stats().published()).isEqualTo(500);
	}

	@Test
	void publishesAwaitingAnAnswerArePending() {
		this.producer = single().build();
		this.producer.publish("t", bytes("warm"));
		this.first.holdAnswers();
		List<CompletableFuture<PublishResult>> owed = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			owed.add(this.producer.multiPublishAsync("t", List.of(bytes("x" + i), bytes("y" + i))));
		}
		ProducerStats held = this.producer.stats();
		assertThat(held.pending()).isEqualTo(5);
		assertThat(held.nodes().get(0).pending()).isEqualTo(5);
		assertThat(held.published()).isEqualTo(1);
		this.first.answerFreely();
		CompletableFuture.allOf(owed.toArray(CompletableFuture[]::new)).join();
		ProducerStats answered = this.producer.stats();
		assertThat(answered.pending()).isZero();
		assertThat(answered.published()).isEqualTo(11);
	}

	@Test
	void anErrorAnswerIsAFailureAndTheNodesLastError() {
		this.producer = single().build();
		this.first.script((command) -> command.body().equals("poison") ? FakeNsqd.Action.FATAL : FakeNsqd.Action.OK);
		this.producer.publish("t", bytes("fine"));
		assertThatThrownBy(() -> this.producer.publish("t", bytes("poison"))).isInstanceOf(NsqProtocolException.class);
		ProducerStats stats = this.producer.stats();
		assertThat(stats.published()).isEqualTo(1);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.nodes().get(0).failed()).isEqualTo(1);
		assertThat(stats.nodes().get(0).lastError()).contains("E_PUB_FAILED");
		// nsqd closed the connection after its fatal error; the next publish reconnects
		await().until(() -> node(0).state() == State.NOT_CONNECTED);
		this.producer.publish("t", bytes("again"));
		assertThat(node(0))
			.extracting(ProducerNodeStats::state, ProducerNodeStats::published, ProducerNodeStats::lastError)
			.containsExactly(State.CONNECTED, 2L, null);
	}

	@Test
	void aLostConnectionFailsWhatWasOwedAndSaysWhy() {
		this.producer = single().build();
		this.producer.publish("t", bytes("warm"));
		this.first.holdAnswers();
		CompletableFuture<PublishResult> owed = this.producer.multiPublishAsync("t", List.of(bytes("a"), bytes("b")));
		await().until(() -> this.first.seen.size() == 2);
		this.first.dropConnections();
		await().until(owed::isDone);
		assertThat(owed).isCompletedExceptionally();
		ProducerStats stats = this.producer.stats();
		assertThat(stats.failed()).isEqualTo(2);
		assertThat(stats.pending()).isZero();
		assertThat(stats.nodes().get(0).state()).isEqualTo(State.NOT_CONNECTED);
		assertThat(stats.nodes().get(0).lastError()).contains(this.first.address());
	}

	@Test
	void anNsqdThatCannotBeReachedIsRetryingWithTheReason() {
		this.producer = single().build();
		this.first.down();
		assertThatThrownBy(() -> this.producer.publish("t", bytes("x"))).isInstanceOf(NsqConnectionException.class);
		// while waiting to reconnect, publishes fail at once and count too
		assertThatThrownBy(() -> this.producer.publish("t", bytes("y"))).isInstanceOf(NsqConnectionException.class);
		ProducerNodeStats node = node(0);
		assertThat(node.state()).isEqualTo(State.RETRYING);
		assertThat(node.failed()).isEqualTo(2);
		assertThat(node.lastError()).isNotBlank();
		assertThat(this.producer.stats().failed()).isEqualTo(2);
	}

	@Test
	void noRoomAmongPendingCommandsIsAFailureNamingTheLimit() {
		this.producer = single()
			.producer((settings) -> settings.maxPendingCommands(1).pendingTimeout(Duration.ofMillis(50)))
			.build();
		this.producer.publish("t", bytes("warm"));
		this.first.holdAnswers();
		CompletableFuture<PublishResult> owed = this.producer.publishAsync("t", bytes("owed"));
		assertThatThrownBy(() -> this.producer.publish("t", bytes("no room"))).isInstanceOf(NsqTimeoutException.class);
		ProducerStats stats = this.producer.stats();
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.pending()).isEqualTo(1);
		assertThat(stats.nodes().get(0).lastError()).contains("maxPendingCommands");
		this.first.answerFreely();
		owed.join();
	}

	@Test
	void badInputIsNotCounted() {
		this.producer = single().build();
		assertThat(this.producer.publishAsync("bad topic!", bytes("x"))).isCompletedExceptionally();
		assertThat(this.producer.publishAsync("t", new byte[0])).isCompletedExceptionally();
		assertThat(this.producer.stats().failed()).isZero();
	}

	@Test
	void aPublishMovedToAnotherNodeIsNoFailureOfTheProducer() throws Exception {
		this.producer = both().build();
		this.first.down();
		for (int i = 0; i < 10; i++) {
			this.producer.publish("t", bytes("m" + i));
		}
		ProducerStats stats = this.producer.stats();
		assertThat(stats.published()).isEqualTo(10);
		assertThat(stats.failed()).isZero();
		assertThat(stats.nodes()).extracting(ProducerNodeStats::nsqdAddress)
			.containsExactly(this.first.address(), this.second.address());
		ProducerNodeStats down = stats.nodes().get(0);
		assertThat(down.state()).isEqualTo(State.RETRYING);
		// the first publish tried it and failed there; the others skipped it
		assertThat(down.failed()).isEqualTo(1);
		assertThat(down.lastError()).isNotBlank();
		assertThat(stats.nodes().get(1)).extracting(ProducerNodeStats::state, ProducerNodeStats::published)
			.containsExactly(State.CONNECTED, 10L);
	}

	@Test
	void whenEveryNodeFailsTheCallerSeesOneFailure() {
		this.producer = both().build();
		this.first.down();
		this.second.down();
		assertThatThrownBy(() -> this.producer.publish("t", bytes("x"))).isInstanceOf(NsqConnectionException.class);
		assertThatThrownBy(() -> this.producer.multiPublish("t", List.of(bytes("y"), bytes("z"))))
			.isInstanceOf(NsqConnectionException.class);
		ProducerStats stats = this.producer.stats();
		assertThat(stats.failed()).isEqualTo(3);
		assertThat(stats.nodes()).extracting(ProducerNodeStats::state).containsOnly(State.RETRYING);
	}

	@Test
	void aClosedProducerShowsItsNodesClosedWithTheirCounts() {
		this.producer = both().build();
		this.producer.publish("t", bytes("a"));
		this.producer.close();
		assertThatThrownBy(() -> this.producer.publish("t", bytes("late"))).isInstanceOf(ProducerClosedException.class);
		ProducerStats stats = this.producer.stats();
		assertThat(stats.published()).isEqualTo(1);
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.nodes()).extracting(ProducerNodeStats::state).containsOnly(State.CLOSED);
	}

	@Test
	void aNodeNoLongerListedKeepsItsCountInTheTotal() {
		this.producer = both().build();
		BalancingProducer balancing = (BalancingProducer) this.producer;
		this.producer.publish("t", bytes("a"));
		this.producer.publish("t", bytes("b"));
		balancing.setNodes(List.of(io.github.nsqspring.core.connection.NsqAddress.parse(this.second.address())));
		this.producer.publish("t", bytes("c"));
		ProducerStats stats = this.producer.stats();
		assertThat(stats.nodes()).extracting(ProducerNodeStats::nsqdAddress).containsExactly(this.second.address());
		assertThat(stats.published()).isEqualTo(3);
	}

}
