package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.consumer.ConnectionStats.State;
import io.github.nsqspring.core.protocol.NsqErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReconnectsTests {

	private static final NsqAddress NSQD = NsqAddress.parse("127.0.0.1:4150");

	@Test
	void delaysDoubleFromTheInitialDelayUpToTheMaximumWithJitter() {
		Reconnects reconnects = new Reconnects("topic/ch", Duration.ofMillis(100), Duration.ofSeconds(1),
				new ConsumerExecutors("topic/ch"));
		for (int i = 0; i < 50; i++) {
			assertThat(reconnects.delayNanos(1)).isBetween(millis(80), millis(120));
			assertThat(reconnects.delayNanos(2)).isBetween(millis(160), millis(240));
			assertThat(reconnects.delayNanos(4)).isBetween(millis(640), millis(960));
			assertThat(reconnects.delayNanos(5)).isBetween(millis(800), millis(1200));
			assertThat(reconnects.delayNanos(1000)).isBetween(millis(800), millis(1200));
		}
	}

	@Test
	void oneTryIsPendingPerNsqdAndNoneAfterTheStop() throws InterruptedException {
		ConsumerExecutors executors = new ConsumerExecutors("reconnects-test/ch");
		executors.start();
		try {
			Reconnects reconnects = new Reconnects("topic/ch", Duration.ofMillis(50), Duration.ofMillis(50), executors);
			AtomicInteger tries = new AtomicInteger();
			CountDownLatch tried = new CountDownLatch(1);
			reconnects.schedule(NSQD, () -> {
				tries.incrementAndGet();
				tried.countDown();
			});
			reconnects.schedule(NSQD, tries::incrementAndGet);
			assertThat(tried.await(10, TimeUnit.SECONDS)).isTrue();
			reconnects.stop();
			reconnects.schedule(NSQD, tries::incrementAndGet);
			await().during(Duration.ofMillis(200)).until(() -> tries.get() == 1);
		}
		finally {
			executors.shutdownAndWait(Duration.ofSeconds(5));
		}
	}

	@Test
	void anNsqdGivenUpOnIsNeverTriedAgainAndShowsWhy() {
		Reconnects reconnects = new Reconnects("topic/ch", Duration.ofMillis(50), Duration.ofMillis(50),
				new ConsumerExecutors("topic/ch"));
		reconnects.failed("127.0.0.1:4151", "connection refused");
		reconnects.giveUp("127.0.0.1:4150", new NsqAuthException(NsqErrorCode.E_UNAUTHORIZED, "E_UNAUTHORIZED no"));
		reconnects.failed("127.0.0.1:4150", "connection refused");
		assertThat(reconnects.isGivenUp("127.0.0.1:4150")).isTrue();
		List<ConnectionStats> stats = new ArrayList<>();
		reconnects.addStats(stats, new HashSet<>());
		assertThat(stats).containsExactlyInAnyOrder(
				new ConnectionStats("127.0.0.1:4151", State.RETRYING, 0, 0, 0, 0, "connection refused"),
				new ConnectionStats("127.0.0.1:4150", State.FAILED, 0, 0, 0, 0,
						"nsqd refused authentication: E_UNAUTHORIZED no"));
		reconnects.connected("127.0.0.1:4151");
		reconnects.forgetUnless((address) -> false);
		stats.clear();
		reconnects.addStats(stats, new HashSet<>());
		assertThat(stats).extracting(ConnectionStats::state).containsExactly(State.FAILED);
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
