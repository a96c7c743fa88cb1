package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConsumerConfig;
import io.github.nsqspring.core.consumer.RdyController.Signal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RDY part on its own: connections that record the RDY commands, a manual clock, and
 * timers driven by the test (the controller's scheduler is never started).
 */
class RdyControllerTests {

	private final AtomicLong clock = new AtomicLong(TimeUnit.DAYS.toNanos(10));

	@Test
	void aNewConnectionGetsItsShareAfterTheOthersShrank() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		RecordingConnection c = connection("127.0.0.1:3");
		assertThat(rdy.add(a, 2500)).isTrue();
		assertThat(a.commands()).containsExactly("RDY 10");
		rdy.add(b, 2500);
		rdy.add(c, 2500);
		// each shrink is sent before the new connection's share, so the sum never
		// exceeds max_in_flight
		assertThat(a.commands()).containsExactly("RDY 10", "RDY 5", "RDY 4");
		assertThat(b.commands()).containsExactly("RDY 5", "RDY 3");
		assertThat(c.commands()).containsExactly("RDY 3");
		assertThat(rdy.totalRdy()).isEqualTo(10);
	}

	@Test
	void theServersMaxRdyCountCapsAShare() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(100)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		rdy.add(a, 3);
		assertThat(a.commands()).containsExactly("RDY 3");
		assertThat(rdy.totalRdy()).isEqualTo(3);
	}

	@Test
	void theOthersTakeOverAClosedConnectionsShareAtOnce() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		b.closed = true;
		rdy.remove(b);
		assertThat(a.lastRdy()).isEqualTo(10);
		assertThat(rdy.rdyCounts()).containsOnlyKeys("127.0.0.1:1");
	}

	@Test
	void aClosedConnectionIsNotTakenIn() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		a.closed = true;
		assertThat(rdy.add(a, 2500)).isFalse();
		assertThat(a.commands()).isEmpty();
	}

	@Test
	void aDrainedConnectionGetsRdyZeroAndTheOthersItsShare() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		assertThat(rdy.drain(b)).isTrue();
		assertThat(rdy.drain(b)).isFalse();
		assertThat(b.lastRdy()).isZero();
		assertThat(b.closing).isTrue();
		assertThat(a.lastRdy()).isEqualTo(10);
	}

	@Test
	void maxInFlightZeroPausesAndLoweringAlwaysSucceeds() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		rdy.changeMaxInFlight(4);
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(2L, 2L);
		rdy.changeMaxInFlight(0);
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(0L, 0L);
		assertThat(rdy.totalRdy()).isZero();
		rdy.changeMaxInFlight(6);
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(3L, 3L);
	}

	@Test
	void backoffSendsRdyZeroEverywhereThenTestsTheWatersWithOneMessage() {
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(10).backoffMultiplier(Duration.ofMillis(10)))
			.build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		rdy.signal(Signal.BACKOFF);
		assertThat(rdy.backoffLevel()).isEqualTo(1);
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(0L, 0L);
		// while the backoff timer runs, every outcome is ignored
		rdy.signal(Signal.BACKOFF);
		rdy.signal(Signal.RESUME);
		assertThat(rdy.backoffLevel()).isEqualTo(1);
		rdy.resumeFromBackoff();
		assertThat(rdy.totalRdy()).isEqualTo(1);
		// the test message succeeded: out of backoff, full shares again
		rdy.signal(Signal.RESUME);
		assertThat(rdy.backoffLevel()).isZero();
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(5L, 5L);
	}

	@Test
	void aRequeueWithoutBackoffKeepsTheLevelAndBacksOffAgain() {
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(1).backoffMultiplier(Duration.ofMillis(10)))
			.build());
		RecordingConnection a = connection("127.0.0.1:1");
		rdy.add(a, 2500);
		rdy.signal(Signal.BACKOFF);
		rdy.resumeFromBackoff();
		rdy.signal(Signal.CONTINUE);
		assertThat(rdy.backoffLevel()).isEqualTo(1);
		assertThat(a.commands()).containsExactly("RDY 1", "RDY 0", "RDY 1", "RDY 0");
	}

	@Test
	void theBackoffLevelSaturatesBelowTheMaxBackoffDuration() {
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.backoffMultiplier(Duration.ofSeconds(1))
				.maxBackoffDuration(Duration.ofSeconds(10)))
			.build());
		rdy.add(connection("127.0.0.1:1"), 2500);
		for (int i = 0; i < 6; i++) {
			rdy.signal(Signal.BACKOFF);
			rdy.resumeFromBackoff();
		}
		// 2 s, 4 s, 8 s; 16 s is over the maximum
		assertThat(rdy.backoffLevel()).isEqualTo(3);
	}

	@Test
	void aStoppedControllerSendsNothingMore() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		rdy.add(a, 2500);
		rdy.stop();
		rdy.changeMaxInFlight(5);
		rdy.signal(Signal.BACKOFF);
		rdy.redistribute();
		assertThat(a.commands()).containsExactly("RDY 10", "RDY 0");
		assertThat(rdy.add(connection("127.0.0.1:2"), 2500)).isFalse();
	}

	@Test
	void nothingIsSentBeforeTheStartAndEveryShareAtOnceThen() {
		RdyController rdy = new RdyController("topic/ch", NsqConsumerConfig.builder().maxInFlight(10).build(),
				new ConsumerExecutors("topic/ch"), this.clock::get);
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		assertThat(a.commands()).isEmpty();
		rdy.start();
		assertThat(a.commands()).containsExactly("RDY 5");
		assertThat(b.commands()).containsExactly("RDY 5");
	}

	@Test
	void stoppingAsksEveryConnectionForNothingMore() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		rdy.stop();
		assertThat(List.of(a.lastRdy(), b.lastRdy())).containsExactly(0L, 0L);
		assertThat(a.closing && b.closing).isTrue();
		assertThat(rdy.totalRdy()).isZero();
	}

	@Test
	void redistributionTakesRdyFromAnIdleConnectionAndGivesItToOneThatWaits() {
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(1)
				.lowRdyIdleTimeout(Duration.ofSeconds(10))
				.lowRdyTimeout(Duration.ofSeconds(30))
				.rdyRedistributeInterval(Duration.ofSeconds(5)))
			.build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		assertThat(a.lastRdy()).isEqualTo(1);
		assertThat(b.commands()).isEmpty();
		// a got no message for longer than low_rdy_idle_timeout
		this.clock.addAndGet(Duration.ofSeconds(11).toNanos());
		rdy.redistribute();
		assertThat(a.lastRdy()).isZero();
		assertThat(b.lastRdy()).isEqualTo(1);
	}

	@Test
	void withMaxInFlightBelowTheConnectionsEveryConnectionGetsATurnWithinConnectionsTimesTheInterval() {
		Duration interval = Duration.ofSeconds(5);
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(1).rdyRedistributeInterval(interval))
			.build());
		List<RecordingConnection> connections = List.of(connection("127.0.0.1:1"), connection("127.0.0.1:2"),
				connection("127.0.0.1:3"));
		connections.forEach((connection) -> rdy.add(connection, 2500));
		long[] waitingSince = new long[] { this.clock.get(), this.clock.get(), this.clock.get() };
		List<Integer> turns = new ArrayList<>(List.of(0));
		long worstWait = 0;
		for (int tick = 0; tick < 30; tick++) {
			this.clock.addAndGet(interval.toNanos());
			// every connection keeps delivering: none is idle
			connections.forEach((connection) -> connection.lastMessageNanos = this.clock.get());
			rdy.redistribute();
			assertThat(rdy.totalRdy()).isEqualTo(1);
			int holder = holder(connections);
			int previous = turns.get(turns.size() - 1);
			if (holder != previous) {
				waitingSince[previous] = this.clock.get();
				worstWait = Math.max(worstWait, this.clock.get() - waitingSince[holder]);
				turns.add(holder);
			}
		}
		// round robin, one interval each
		assertThat(turns).hasSize(31).startsWith(0, 1, 2, 0, 1, 2, 0);
		assertThat(Duration.ofNanos(worstWait)).isEqualTo(interval.multipliedBy(2));
	}

	@Test
	void aTurnLastsAtLeastHalfAnInterval() {
		Duration interval = Duration.ofSeconds(4);
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(1).rdyRedistributeInterval(interval))
			.build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		rdy.add(a, 2500);
		rdy.add(b, 2500);
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		a.lastMessageNanos = this.clock.get();
		rdy.redistribute();
		assertThat(a.lastRdy()).isEqualTo(1);
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		a.lastMessageNanos = this.clock.get();
		rdy.redistribute();
		assertThat(a.lastRdy()).isZero();
		assertThat(b.lastRdy()).isEqualTo(1);
	}

	@Test
	void backoffTestsTheWatersOnTheConnectionThatWaitedLongest() {
		RdyController rdy = controller(NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(3).backoffMultiplier(Duration.ofMillis(10)))
			.build());
		RecordingConnection a = connection("127.0.0.1:1");
		RecordingConnection b = connection("127.0.0.1:2");
		RecordingConnection c = connection("127.0.0.1:3");
		List.of(a, b, c).forEach((connection) -> rdy.add(connection, 2500));
		List<String> tested = new ArrayList<>();
		for (int round = 0; round < 6; round++) {
			this.clock.addAndGet(Duration.ofMillis(100).toNanos());
			rdy.signal(Signal.BACKOFF);
			this.clock.addAndGet(Duration.ofMillis(100).toNanos());
			rdy.resumeFromBackoff();
			for (RecordingConnection connection : List.of(a, b, c)) {
				if (connection.lastRdy() == 1) {
					tested.add(connection.addressText);
				}
			}
		}
		assertThat(tested).containsExactly("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3", "127.0.0.1:1", "127.0.0.1:2",
				"127.0.0.1:3");
	}

	@Test
	void starvedWhenInFlightReachesMostOfTheRdyCount() {
		RdyController rdy = controller(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(10)).build());
		RecordingConnection a = connection("127.0.0.1:1");
		rdy.add(a, 2500);
		// go-nsq's int(0.85 * 10) = 8
		for (int i = 0; i < 7; i++) {
			a.inFlight.receive();
		}
		assertThat(rdy.isStarved()).isFalse();
		a.inFlight.receive();
		assertThat(rdy.isStarved()).isTrue();
	}

	private static int holder(List<RecordingConnection> connections) {
		for (int i = 0; i < connections.size(); i++) {
			if (connections.get(i).lastRdy() == 1) {
				return i;
			}
		}
		return -1;
	}

	private RdyController controller(NsqConfig config) {
		RdyController rdy = new RdyController("topic/ch", config.consumer(), new ConsumerExecutors("topic/ch"),
				this.clock::get);
		rdy.start();
		return rdy;
	}

	private RecordingConnection connection(String address) {
		RecordingConnection connection = new RecordingConnection(address, null);
		connection.lastMessageNanos = this.clock.get();
		return connection;
	}

}
