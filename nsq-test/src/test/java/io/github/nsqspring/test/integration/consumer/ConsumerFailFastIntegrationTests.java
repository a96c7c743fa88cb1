package io.github.nsqspring.test.integration.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.ConnectFailures;
import io.github.nsqspring.core.consumer.ConnectionStats;
import io.github.nsqspring.core.consumer.ConsumerListener;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.protocol.NsqErrorCode;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.AuthResponse;
import io.github.nsqspring.test.nsqd.EmbeddedNsqd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Failures that retrying cannot heal (issue 12): {@code start()} throws one that happens
 * in the first connection round and leaves nothing running; a later one is reported to
 * the listener and that nsqd is not tried again.
 */
class ConsumerFailFastIntegrationTests {

	private static final String SECRET = "fail-fast-secret";

	@RegisterExtension
	final Closeables closeables = new Closeables();

	@ParameterizedTest
	@EnumSource(Backend.class)
	void aSubscriptionNsqdDoesNotAuthorizeFailsTheStart(Backend backend) {
		NsqCluster cluster = cluster(backend,
				NsqdOptions.builder()
					.authorizer((request) -> new AuthResponse("tester", "", 3600,
							List.of(new AuthResponse.Authorization("^other$", List.of(".*"), List.of("subscribe")))))
					.build());
		NsqConsumer consumer = consumer("unauthorized",
				NsqConfig.builder().connection((connection) -> connection.authSecret(SECRET)).build(),
				cluster.nsqdTcpAddress(0));
		assertThatExceptionOfType(NsqAuthException.class).isThrownBy(consumer::start)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(NsqErrorCode.E_UNAUTHORIZED))
			.satisfies((ex) -> assertThat(ex).hasMessageNotContaining(SECRET));
		assertNothingRunning(consumer, "unauthorized");
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void anIdentifySettingNsqdRejectsFailsTheStart(Backend backend) {
		NsqCluster cluster = cluster(backend, NsqdOptions.builder().maxMsgTimeout(Duration.ofSeconds(5)).build());
		NsqConsumer consumer = consumer("identify",
				NsqConfig.builder().consumer((settings) -> settings.msgTimeout(Duration.ofSeconds(10))).build(),
				cluster.nsqdTcpAddress(0));
		assertThatExceptionOfType(NsqProtocolException.class).isThrownBy(consumer::start)
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo(NsqErrorCode.E_BAD_BODY))
			.withMessageContaining("msg timeout");
		assertNothingRunning(consumer, "identify");
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void tlsThatCannotBeSetUpWithTheGivenTrustFailsTheStart(Backend backend) {
		NsqCluster cluster = cluster(backend, NsqdOptions.builder().tls(true).build());
		// the JDK's default trust does not know the test CA
		NsqConsumer consumer = consumer("untrusted",
				NsqConfig.builder().connection((connection) -> connection.tlsV1(true)).build(),
				cluster.nsqdTcpAddress(0));
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(consumer::start)
			.withMessageContaining("TLS handshake")
			.satisfies((ex) -> assertThat(ConnectFailures.isPermanent(ex)).isTrue());
		assertNothingRunning(consumer, "untrusted");
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void anUnreachableNsqdDoesNotFailTheStart(Backend backend) {
		NsqCluster cluster = cluster(backend, NsqdOptions.DEFAULTS);
		String address = cluster.nsqdTcpAddress(0);
		cluster.stopNode(0);
		NsqConsumer consumer = consumer("unreachable", NsqConfig.defaults(), address);
		consumer.start();
		assertThat(consumer.stats().nsqd()).singleElement()
			.satisfies((stats) -> assertThat(stats.state()).isEqualTo(ConnectionStats.State.RETRYING));
		cluster.startNode(0);
		await().atMost(Duration.ofSeconds(30)).until(() -> consumer.stats().connections() == 1);
	}

	@Test
	void aPermanentFailureOfAnNsqdDiscoveredLaterIsReportedAndTheOthersKeepConsuming() throws Exception {
		NsqCluster cluster = cluster(Backend.EMBEDDED, NsqdOptions.DEFAULTS);
		// a second nsqd, registered with the same nsqlookupd, that rejects the consumer's
		// msg_timeout
		EmbeddedNsqd strict = EmbeddedNsqd.start(NsqdOptions.builder()
			.maxMsgTimeout(Duration.ofSeconds(5))
			.lookupdTcpAddresses(List.of(cluster.lookupdTcpAddress()))
			.build());
		this.closeables.add(strict);
		String topic = "discovered";
		NsqdHttp.publish(cluster, topic, 1);
		Map<String, NsqException> permanent = new ConcurrentHashMap<>();
		Set<String> handled = ConcurrentHashMap.newKeySet();
		List<String> events = new CopyOnWriteArrayList<>();
		NsqConsumer consumer = NsqConsumer.builder(topic, "ch")
			.config(NsqConfig.builder()
				.consumer((settings) -> settings.msgTimeout(Duration.ofSeconds(10)))
				.lookupd((lookupd) -> lookupd.pollInterval(Duration.ofMillis(100)).pollJitter(0))
				.build())
			.lookupd(cluster.lookupdHttpAddress())
			.handler((message) -> handled.add(new String(message.body())))
			.listener(new ConsumerListener() {

				@Override
				public void onConnectFailed(String nsqdAddress, Throwable cause) {
					events.add("connect failed " + nsqdAddress);
				}

				@Override
				public void onPermanentFailure(String nsqdAddress, NsqException cause) {
					permanent.put(nsqdAddress, cause);
				}

			})
			.build();
		this.closeables.addFirst(consumer);
		consumer.start();
		await().until(() -> handled.contains(topic + "-0"));
		strict.publish(topic, "on the strict nsqd".getBytes());
		await().until(() -> permanent.containsKey(strict.tcpAddress()));
		assertThat(permanent.get(strict.tcpAddress())).isInstanceOf(NsqProtocolException.class)
			.hasMessageContaining("E_BAD_BODY");
		NsqdHttp.publish(cluster, 0, topic, List.of("still consumed"));
		await().until(() -> handled.contains("still consumed"));
		// not tried again at the next nsqlookupd polls
		await().during(Duration.ofMillis(500)).until(() -> events.isEmpty() && permanent.size() == 1);
		assertThat(consumer.stats().nsqd()).extracting(ConnectionStats::nsqdAddress, ConnectionStats::state)
			.containsExactlyInAnyOrder(tuple(cluster.nsqdTcpAddress(0), ConnectionStats.State.CONNECTED),
					tuple(strict.tcpAddress(), ConnectionStats.State.FAILED));
	}

	private void assertNothingRunning(NsqConsumer consumer, String topic) {
		assertThat(consumer.stopFuture()).isDone();
		assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
			.extracting(Thread::getName)
			.noneMatch((name) -> name.contains(topic + "/"));
		assertThat(consumer.stats().connections()).isZero();
	}

	private NsqCluster cluster(Backend backend, NsqdOptions options) {
		NsqCluster cluster = backend.start(NsqClusterSpec.of(1, true).withOptions(options));
		this.closeables.add(cluster);
		return cluster;
	}

	private NsqConsumer consumer(String topic, NsqConfig config, String address) {
		NsqConsumer consumer = NsqConsumer.builder(topic, "ch")
			.config(config)
			.nsqd(address)
			.reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
			.handler((message) -> {
			})
			.build();
		this.closeables.addFirst(consumer);
		return consumer;
	}

}
