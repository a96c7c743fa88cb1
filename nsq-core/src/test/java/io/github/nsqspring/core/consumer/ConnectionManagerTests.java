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

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.consumer.ConnectionStats.State;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Script;
import io.github.nsqspring.core.protocol.NsqErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The connection part with its real neighbours (RDY controller, worker pool) against
 * scripted nsqd on loopback.
 */
class ConnectionManagerTests {

	private static final String UNAUTHORIZED = "E_UNAUTHORIZED AUTH failed for SUB on \"topic\" \"ch\"";

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
	void theFirstRoundSubscribesWithoutRdyUntilEveryNsqdIsConnected() throws Exception {
		GoldenTraceNsqd first = nsqd(0, Script.of());
		GoldenTraceNsqd second = nsqd(0, Script.of());
		ConnectionManager manager = manager(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(7)).build(),
				Duration.ofMillis(50), Duration.ofMillis(50), first.address(), second.address());
		List<ConsumerConnection> subscribed = manager.connectFirstRound();
		assertThat(subscribed).hasSize(2);
		assertThat(first.commands(0)).containsExactly("IDENTIFY", "SUB topic ch");
		assertThat(manager.connectionCount()).isZero();
		manager.startRunning(subscribed);
		this.rdy.start();
		assertThat(manager.connectionCount()).isEqualTo(2);
		await().until(() -> first.commands(0).contains("RDY 4") && second.commands(0).contains("RDY 3"));
		assertThat(first.commands(0)).containsExactly("IDENTIFY", "SUB topic ch", "RDY 4");
		assertThat(this.events).containsExactly("connected " + first.address(), "connected " + second.address());
		assertThat(manager.connectionStats(this.rdy.rdyCounts())).containsExactly(
				new ConnectionStats(first.address(), State.CONNECTED, 4, 0, 0, 0, null),
				new ConnectionStats(second.address(), State.CONNECTED, 3, 0, 0, 0, null));
	}

	@Test
	void aPermanentFailureInTheFirstRoundIsThrownAndClosesWhatTheRoundOpened() throws Exception {
		GoldenTraceNsqd healthy = nsqd(0, Script.of());
		GoldenTraceNsqd refusing = nsqd(0, Script.of().refusingSub(UNAUTHORIZED));
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				healthy.address(), refusing.address());
		assertThatExceptionOfType(NsqAuthException.class).isThrownBy(manager::connectFirstRound)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(NsqErrorCode.E_UNAUTHORIZED))
			.withMessageContaining("E_UNAUTHORIZED");
		await().until(() -> healthy.openConnections() == 0);
		assertThat(healthy.commands(0)).containsExactly("IDENTIFY", "SUB topic ch");
		// never tried again
		await().during(Duration.ofMillis(300)).until(() -> refusing.connections() == 1);
		assertThat(this.events).isEmpty();
	}

	@Test
	void aTransientFailureInTheFirstRoundIsRetriedUntilTheNsqdListens() throws Exception {
		int port = freePort();
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(50), Duration.ofMillis(200),
				"127.0.0.1:" + port);
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
		assertThat(manager.connectionCount()).isZero();
		await().until(() -> this.events.size() >= 2);
		assertThat(this.events).allMatch((event) -> event.startsWith("connect failed 127.0.0.1:" + port));
		assertThat(manager.connectionStats(this.rdy.rdyCounts())).singleElement()
			.satisfies((stats) -> assertThat(stats.state()).isEqualTo(State.RETRYING))
			.satisfies((stats) -> assertThat(stats.lastError()).contains("127.0.0.1:" + port));
		nsqd(port, Script.of());
		await().until(() -> manager.connectionCount() == 1);
		assertThat(this.events).last().isEqualTo("connected 127.0.0.1:" + port);
		assertThat(manager.connectionStats(this.rdy.rdyCounts())).singleElement()
			.satisfies((stats) -> assertThat(stats.state()).isEqualTo(State.CONNECTED));
	}

	@Test
	void aRefusedSubThatCanHealIsRetried() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0, (index) -> (index == 0)
				? Script.of().refusingSub("E_SUB_FAILED SUB failed channel is exiting") : Script.of());
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				nsqd.address());
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
		await().until(() -> manager.connectionCount() == 1);
		assertThat(this.events).containsExactly("connect failed " + nsqd.address(), "connected " + nsqd.address());
	}

	@Test
	void aPermanentFailureAfterTheStartIsReportedOnceAndNotRetried() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0, (index) -> (index == 0) ? Script.of() : Script.of().refusingSub(UNAUTHORIZED));
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				nsqd.address());
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
		nsqd.disconnect(0);
		await().until(() -> this.events.contains("permanent failure " + nsqd.address()));
		await().during(Duration.ofMillis(300)).until(() -> nsqd.connections() == 2);
		assertThat(this.events).containsExactly("connected " + nsqd.address(),
				"disconnected " + nsqd.address() + " (lost)", "permanent failure " + nsqd.address());
		assertThat(manager.connectionStats(this.rdy.rdyCounts())).singleElement()
			.satisfies((stats) -> assertThat(stats.state()).isEqualTo(State.FAILED))
			.satisfies((stats) -> assertThat(stats.lastError()).contains("E_UNAUTHORIZED"));
	}

	@Test
	void aPermanentErrorThatClosesAnEstablishedConnectionEndsItsRetries() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0, Script.of());
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				nsqd.address());
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
		ConsumerConnection connection = manager.connections().get(0);
		// what the reader reports when nsqd's re-authorization fails
		manager.onConnectionClosed(connection, NsqProtocolException.fromErrorFrame(UNAUTHORIZED));
		await().during(Duration.ofMillis(300)).until(() -> nsqd.connections() == 1);
		assertThat(this.events).endsWith("permanent failure " + nsqd.address());
	}

	@Test
	void aLostConnectionIsReconnectedAndGetsItsRdyAgain() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0, Script.of());
		ConnectionManager manager = manager(NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(3)).build(),
				Duration.ofMillis(50), Duration.ofMillis(50), nsqd.address());
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
		await().until(() -> nsqd.commands(0).contains("RDY 3"));
		nsqd.disconnect(0);
		await().until(() -> nsqd.commands(1).contains("RDY 3"));
		assertThat(manager.connectionCount()).isEqualTo(1);
		assertThat(this.events).containsSubsequence("connected " + nsqd.address(),
				"disconnected " + nsqd.address() + " (lost)", "connected " + nsqd.address());
	}

	@Test
	void afterStopNothingIsReconnectedAndEveryConnectionIsClosing() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(0, Script.of());
		ConnectionManager manager = manager(NsqConfig.defaults(), Duration.ofMillis(20), Duration.ofMillis(20),
				nsqd.address());
		manager.startRunning(manager.connectFirstRound());
		this.rdy.start();
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
		this.executors = new ConsumerExecutors("manager-test/ch");
		this.executors.start();
		this.closeables.add(0, () -> this.executors.shutdownAndWait(Duration.ofSeconds(5)));
		this.rdy = new RdyController("manager-test/ch", config.consumer(), this.executors);
		WorkerPool workers = new WorkerPool("manager-test/ch", config.consumer(), (message) -> {
		}, null, 1, null, this.rdy);
		ConsumerEvents events = new ConsumerEvents("manager-test/ch", new ConsumerListener() {

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

			@Override
			public void onPermanentFailure(String nsqdAddress, NsqException cause) {
				ConnectionManagerTests.this.events.add("permanent failure " + nsqdAddress);
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

	private GoldenTraceNsqd nsqd(int port, Script script) throws IOException {
		return nsqd(port, (index) -> script);
	}

	private GoldenTraceNsqd nsqd(int port, java.util.function.IntFunction<Script> scripts) throws IOException {
		GoldenTraceNsqd nsqd = new GoldenTraceNsqd(port, scripts);
		this.closeables.add(nsqd);
		return nsqd;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
