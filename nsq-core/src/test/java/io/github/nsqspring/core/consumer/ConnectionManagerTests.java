package io.github.nsqspring.core.consumer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The connection part with its real neighbours (RDY controller, worker pool) against
 * scripted nsqd on loopback.
 */
class ConnectionManagerTests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private ConsumerExecutors executors;

	private RdyController rdy;

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void reconnectDelaysDoubleFromTheInitialDelayUpToTheMaximumWithJitter() {
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(100), Duration.ofSeconds(1));
		for (int i = 0; i < 50; i++) {
			assertThat(manager.reconnectDelayNanos(1)).isBetween(millis(80), millis(120));
			assertThat(manager.reconnectDelayNanos(2)).isBetween(millis(160), millis(240));
			assertThat(manager.reconnectDelayNanos(4)).isBetween(millis(640), millis(960));
			assertThat(manager.reconnectDelayNanos(5)).isBetween(millis(800), millis(1200));
			assertThat(manager.reconnectDelayNanos(1000)).isBetween(millis(800), millis(1200));
		}
	}

	@Test
	void aConnectionIsSubscribedAndHandedToTheRdyController() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0);
		ConnectionManager manager = manager(NsqConfig.builder().maxInFlight(7).build(), Duration.ofMillis(50),
				Duration.ofMillis(50), nsqd.address());
		manager.start();
		assertThat(manager.connectionCount()).isEqualTo(1);
		await().until(() -> nsqd.commands(0).contains("RDY 7"));
		assertThat(nsqd.commands(0)).containsExactly("IDENTIFY", "SUB topic ch", "RDY 7");
		assertThat(this.rdy.rdyCounts()).containsEntry(nsqd.address(), 7L);
		assertThat(this.events).containsExactly("connected " + nsqd.address());
	}

	@Test
	void anUnreachableConfiguredNsqdIsRetriedUntilItListens() throws Exception {
		int port = freePort();
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(50), Duration.ofMillis(200),
				"127.0.0.1:" + port);
		manager.start();
		assertThat(manager.connectionCount()).isZero();
		await().until(() -> this.events.size() >= 2);
		assertThat(this.events).allMatch((event) -> event.startsWith("connect failed 127.0.0.1:" + port));
		nsqd(port);
		await().until(() -> manager.connectionCount() == 1);
		assertThat(this.events).last().isEqualTo("connected 127.0.0.1:" + port);
	}

	@Test
	void aLostConnectionIsReconnectedAndGetsItsRdyAgain() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0);
		ConnectionManager manager = manager(NsqConfig.builder().maxInFlight(3).build(), Duration.ofMillis(50),
				Duration.ofMillis(50), nsqd.address());
		manager.start();
		await().until(() -> nsqd.commands(0).contains("RDY 3"));
		nsqd.disconnect(0);
		await().until(() -> nsqd.commands(1).contains("RDY 3"));
		assertThat(manager.connectionCount()).isEqualTo(1);
		assertThat(this.events).containsSubsequence("connected " + nsqd.address(),
				"disconnected " + nsqd.address() + " (lost)", "connected " + nsqd.address());
	}

	@Test
	void afterStopNothingIsReconnectedAndEveryConnectionIsClosing() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0);
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				nsqd.address());
		manager.start();
		List<ConsumerConnection> draining = manager.stop();
		assertThat(draining).hasSize(1).allMatch((connection) -> connection.closing);
		assertThat(manager.isIdle()).isFalse();
		manager.closeConnection(draining.get(0));
		await().until(manager::isIdle);
		await().during(Duration.ofMillis(200)).until(() -> nsqd.connections() == 1);
		assertThat(this.events).containsExactly("connected " + nsqd.address(), "disconnected " + nsqd.address());
	}

	private ConnectionManager manager(NsqConfig config, Duration reconnectInitial, Duration reconnectMax,
			String... addresses) {
		Set<NsqAddress> fixed = new LinkedHashSet<>();
		for (String address : addresses) {
			fixed.add(NsqAddress.parse(address));
		}
		this.executors = new ConsumerExecutors("topic/ch");
		this.executors.start();
		this.closeables.add(0, () -> {
			this.executors.shutdownIo();
			this.executors.shutdownScheduler();
		});
		this.rdy = new RdyController("topic/ch", config, this.executors);
		WorkerPool workers = new WorkerPool("topic/ch", config, (message) -> {
		}, null, 1, null, this.rdy);
		ConsumerEvents events = new ConsumerEvents("topic/ch", new ConsumerListener() {

			@Override
			public void onConnected(String nsqdAddress) {
				ConnectionManagerTests.this.events.add("connected " + nsqdAddress);
			}

			@Override
			public void onDisconnected(String nsqdAddress, Throwable cause) {
				ConnectionManagerTests.this.events
					.add("disconnected " + nsqdAddress + ((cause != null) ? " (lost)" : ""));
			}

			@Override
			public void onConnectFailed(String nsqdAddress, Throwable cause) {
				ConnectionManagerTests.this.events.add("connect failed " + nsqdAddress);
			}

		});
		ConnectionManager manager = new ConnectionManager(
				new ConnectionManager.Settings("topic", "ch", config, fixed, null, UnaryOperator.identity(),
						reconnectInitial, reconnectMax, Duration.ofSeconds(1)),
				this.executors, events, this.rdy, workers, () -> {
				});
		this.closeables.add(0, () -> {
			for (ConsumerConnection connection : manager.stop()) {
				manager.closeConnection(connection);
			}
		});
		return manager;
	}

	private GoldenTraceNsqd nsqd(int port) throws IOException {
		GoldenTraceNsqd nsqd = new GoldenTraceNsqd(port, (index) -> Script.of());
		this.closeables.add(nsqd);
		return nsqd;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
