package io.github.nsqspring.test.contract;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.contract.RawNsqClient.Frame;
import io.github.nsqspring.test.contract.RawNsqClient.Msg;

import static io.github.nsqspring.test.contract.ContractSupport.assertFatal;
import static io.github.nsqspring.test.contract.ContractSupport.bytes;
import static io.github.nsqspring.test.contract.ContractSupport.channelStats;
import static io.github.nsqspring.test.contract.ContractSupport.consumer;
import static io.github.nsqspring.test.contract.ContractSupport.elapse;
import static io.github.nsqspring.test.contract.ContractSupport.identifyBody;
import static io.github.nsqspring.test.contract.ContractSupport.number;
import static io.github.nsqspring.test.contract.ContractSupport.publish;
import static io.github.nsqspring.test.contract.ContractSupport.topicStats;
import static io.github.nsqspring.test.contract.ContractSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Protocol V2 as a client observes it: state machine, error texts and fatality, delivery
 * semantics. Subclasses choose the nsqd: embedded or real binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProtocolContract {

	private NsqCluster cluster;

	/**
	 * Start the nsqd under test.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	@BeforeAll
	void startCluster() {
		cluster = start(NsqClusterSpec.of(1, false));
	}

	@AfterAll
	void stopCluster() {
		if (cluster != null) {
			cluster.close();
			cluster = null;
		}
	}

	// ------------------------------------------------------------------ bootstrap and
	// state machine

	@Test
	void wrongMagicGetsBadProtocolAndClose() throws IOException {
		try (RawNsqClient client = RawNsqClient.connectNoMagic(cluster.nsqdTcpAddress(0))) {
			client.writeRaw(bytes("  V9"));
			assertFatal(client, "E_BAD_PROTOCOL");
		}
	}

	@Test
	void unknownCommandIsFatal() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("FOO bar");
			assertFatal(client, "E_INVALID invalid command FOO");
		}
	}

	@Test
	void consumerCommandsBeforeSubAreFatal() throws IOException {
		Map<String, String> expected = Map.of("RDY 1", "E_INVALID cannot RDY in current state", "FIN 0123456789abcdef",
				"E_INVALID cannot FIN in current state", "REQ 0123456789abcdef 0",
				"E_INVALID cannot REQ in current state", "TOUCH 0123456789abcdef",
				"E_INVALID cannot TOUCH in current state", "CLS", "E_INVALID cannot CLS in current state");
		for (Map.Entry<String, String> entry : expected.entrySet()) {
			try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
				client.send(entry.getKey());
				assertFatal(client, entry.getValue());
			}
		}
	}

	@Test
	void nopAndPubWorkWithoutIdentify() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("NOP");
			client.send("PUB " + unique("t"), bytes("hello"));
			assertThat(client.readSkippingHeartbeats().isOk()).isTrue();
		}
	}

	@Test
	void identifyWithoutNegotiationAnswersOk() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			assertThat(client.identify(identifyBody("client_id", "x")).isOk()).isTrue();
		}
	}

	@Test
	void identifyWithNegotiationAnswersJson() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			Frame answer = client
				.identify(identifyBody("feature_negotiation", true, "msg_timeout", 5000, "output_buffer_size", -1));
			Map<String, Object> json = answer.json();
			assertThat(json).containsKeys("max_rdy_count", "version", "max_msg_timeout", "msg_timeout", "tls_v1",
					"deflate", "deflate_level", "max_deflate_level", "snappy", "sample_rate", "auth_required",
					"output_buffer_size", "output_buffer_timeout");
			assertThat(json.get("max_rdy_count")).isEqualTo(2500L);
			assertThat(json.get("msg_timeout")).isEqualTo(5000L);
			assertThat(json.get("max_msg_timeout")).isEqualTo(900000L);
			assertThat(json.get("tls_v1")).isEqualTo(false);
			assertThat(json.get("auth_required")).isEqualTo(false);
			assertThat(json.get("deflate_level")).isEqualTo(6L);
			assertThat(json.get("output_buffer_size")).isEqualTo(1L);
			assertThat(json.get("output_buffer_timeout")).isEqualTo(0L);
			assertThat(json.get("version")).isEqualTo("1.3.0");
		}
	}

	@Test
	void identifyValidatesRanges() throws IOException {
		Map<Object[], String> cases = Map.of(new Object[] { "heartbeat_interval", 10 },
				"E_BAD_BODY IDENTIFY heartbeat interval (10) is invalid", new Object[] { "msg_timeout", 999 },
				"E_BAD_BODY IDENTIFY msg timeout (999) is invalid", new Object[] { "sample_rate", 100 },
				"E_BAD_BODY IDENTIFY sample rate (100) is invalid", new Object[] { "output_buffer_size", 10 },
				"E_BAD_BODY IDENTIFY output buffer size (10) is invalid", new Object[] { "output_buffer_timeout", 1 },
				"E_BAD_BODY IDENTIFY output buffer timeout (1) is invalid");
		for (Map.Entry<Object[], String> entry : cases.entrySet()) {
			try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
				client.send("IDENTIFY", bytes(io.github.nsqspring.core.json.Json.write(identifyBody(entry.getKey()))));
				assertFatal(client, entry.getValue());
			}
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("IDENTIFY", bytes("{not json"));
			assertFatal(client, "E_BAD_BODY IDENTIFY failed to decode JSON body");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("IDENTIFY", new byte[0]);
			assertFatal(client, "E_BAD_BODY IDENTIFY invalid body size 0");
		}
	}

	@Test
	void subTwiceAndIdentifyAfterSubAreFatal() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 0)) {
			client.send("SUB " + topic + " c");
			assertFatal(client, "E_INVALID cannot SUB in current state");
		}
		try (RawNsqClient client = consumer(cluster, topic, "c", 0)) {
			client.send("IDENTIFY", bytes("{}"));
			assertFatal(client, "E_INVALID cannot IDENTIFY in current state");
		}
	}

	@Test
	void subNeedsHeartbeatsAndValidNames() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			assertThat(client.identify(identifyBody("heartbeat_interval", -1)).isOk()).isTrue();
			client.send("SUB t c");
			assertFatal(client, "E_INVALID cannot SUB with heartbeats disabled");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("SUB bad! c");
			assertFatal(client, "E_BAD_TOPIC SUB topic name \"bad!\" is not valid");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("SUB good c:bad");
			assertFatal(client, "E_BAD_CHANNEL SUB channel name \"c:bad\" is not valid");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("SUB good");
			assertFatal(client, "E_INVALID SUB insufficient number of parameters");
		}
	}

	@Test
	void publishErrors() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("PUB bad!", bytes("x"));
			assertFatal(client, "E_BAD_TOPIC PUB topic name \"bad!\" is not valid");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("PUB good", new byte[0]);
			assertFatal(client, "E_BAD_MESSAGE PUB invalid message body size 0");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("PUB");
			assertFatal(client, "E_INVALID PUB insufficient number of parameters");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.sendMpub("bad!", bytes("x"));
			assertFatal(client, "E_BAD_TOPIC E_BAD_TOPIC MPUB topic name \"bad!\" is not valid");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("DPUB good 3600001", bytes("x"));
			assertFatal(client, "E_INVALID DPUB timeout 3600001 out of range 0-3600000");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("DPUB good -1", bytes("x"));
			assertFatal(client, "E_INVALID DPUB could not parse timeout -1");
		}
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("MPUB good");
			client.writeInt(8);
			client.writeInt(0);
			client.send("");
			assertFatal(client, "E_BAD_BODY MPUB invalid message count 0");
		}
	}

	@Test
	void rdyRangeAndParsing() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 0)) {
			client.send("RDY 2501");
			assertFatal(client, "E_INVALID RDY count 2501 out of range 0-2500");
		}
		try (RawNsqClient client = consumer(cluster, topic, "c", 0)) {
			client.send("RDY -1");
			assertFatal(client, "E_INVALID RDY could not parse count -1");
		}
	}

	@Test
	void finReqTouchFailuresAreNotFatal() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1)) {
			client.send("FIN 0000000000000000");
			assertThat(client.readSkippingHeartbeats().text())
				.isEqualTo("E_FIN_FAILED FIN 0000000000000000 failed ID not in flight");
			client.send("REQ 0000000000000000 0");
			assertThat(client.readSkippingHeartbeats().text())
				.isEqualTo("E_REQ_FAILED REQ 0000000000000000 failed ID not in flight");
			client.send("TOUCH 0000000000000000");
			assertThat(client.readSkippingHeartbeats().text())
				.isEqualTo("E_TOUCH_FAILED TOUCH 0000000000000000 failed ID not in flight");
			client.send("PUB " + topic, bytes("still alive"));
			Frame next = client.readSkippingHeartbeats();
			if (next.type() == RawNsqClient.MESSAGE) {
				next = client.readSkippingHeartbeats();
			}
			assertThat(next.isOk()).isTrue();
		}
		// a channel of its own: "still alive" may still be owed to channel c
		try (RawNsqClient client = consumer(cluster, topic, "c2", 1)) {
			client.send("FIN short");
			assertFatal(client, "E_INVALID invalid message ID");
		}
	}

	@Test
	void onlyTheOwnerMayFinish() throws IOException {
		String topic = unique("t");
		try (RawNsqClient owner = consumer(cluster, topic, "c", 1);
				RawNsqClient other = consumer(cluster, topic, "c", 0)) {
			publish(cluster, topic, "m");
			Msg msg = owner.readMessage();
			other.send("FIN " + msg.id());
			assertThat(other.readSkippingHeartbeats().text())
				.isEqualTo("E_FIN_FAILED FIN " + msg.id() + " failed client does not own message");
			owner.send("FIN " + msg.id());
			owner.send("NOP");
			assertThat(owner.poll(300)).isNull();
		}
	}

	// ------------------------------------------------------------------ delivery

	@Test
	void messageFrameLayout() throws IOException {
		String topic = unique("t");
		long before = System.currentTimeMillis() * 1_000_000L;
		try (RawNsqClient client = consumer(cluster, topic, "c", 1)) {
			publish(cluster, topic, "payload");
			Msg msg = client.readMessage();
			assertThat(msg.id()).matches("[0-9a-f]{16}");
			assertThat(msg.attempts()).isEqualTo(1);
			assertThat(msg.text()).isEqualTo("payload");
			assertThat(msg.timestamp()).isBetween(before - 5_000_000_000L,
					System.currentTimeMillis() * 1_000_000L + 5_000_000_000L);
		}
	}

	@Test
	void rdyIsAWindowNotACounter() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 2)) {
			publish(cluster, topic, "1", "2", "3", "4", "5");
			Msg first = client.readMessage();
			client.readMessage();
			assertThat(client.poll(300)).as("window of 2 is full").isNull();
			client.send("FIN " + first.id());
			client.readMessage();
			assertThat(client.poll(300)).isNull();
			client.send("RDY 0");
			assertThat(number(channelStats(cluster, 0, topic, "c"), "in_flight_count")).isEqualTo(2);
		}
	}

	@Test
	void timeoutRedeliversWithAttemptsPlusOne() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1, "msg_timeout", 1000)) {
			publish(cluster, topic, "slow");
			Msg first = client.readMessage();
			Msg again = client.readMessage();
			assertThat(again.id()).isEqualTo(first.id());
			assertThat(again.attempts()).isEqualTo(2);
			assertThat(again.timestamp()).isEqualTo(first.timestamp());
			assertThat(number(channelStats(cluster, 0, topic, "c"), "timeout_count")).isEqualTo(1);
			client.send("FIN " + again.id());
			client.send("NOP");
		}
	}

	@Test
	void reqZeroRedeliversAndReqDelayDefers() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1)) {
			publish(cluster, topic, "r");
			Msg first = client.readMessage();
			client.send("REQ " + first.id() + " 0");
			Msg second = client.readMessage();
			assertThat(second.attempts()).isEqualTo(2);
			long start = System.nanoTime();
			client.send("REQ " + second.id() + " 700");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> number(channelStats(cluster, 0, topic, "c"), "deferred_count") == 1);
			Msg third = client.readMessage();
			assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(550);
			assertThat(third.attempts()).isEqualTo(3);
			assertThat(third.timestamp()).isEqualTo(first.timestamp());
			client.send("FIN " + third.id());
			Map<String, Object> stats = channelStats(cluster, 0, topic, "c");
			assertThat(number(stats, "requeue_count")).isEqualTo(2);
		}
	}

	@Test
	void dpubDefersDelivery() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1);
				RawNsqClient producer = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			long start = System.nanoTime();
			producer.send("DPUB " + topic + " 700", bytes("later"));
			assertThat(producer.readSkippingHeartbeats().isOk()).isTrue();
			Msg msg = client.readMessage();
			assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(550);
			assertThat(msg.text()).isEqualTo("later");
			assertThat(msg.attempts()).isEqualTo(1);
		}
	}

	@Test
	void touchExtendsTheTimeout() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 1, "msg_timeout", 2000)) {
			publish(cluster, topic, "touch me");
			Msg msg = client.readMessage();
			elapse(Duration.ofMillis(1400));
			client.send("TOUCH " + msg.id());
			elapse(Duration.ofMillis(1300));
			client.send("FIN " + msg.id());
			assertThat(client.poll(400)).as("no E_FIN_FAILED and no redelivery").isNull();
			assertThat(number(channelStats(cluster, 0, topic, "c"), "timeout_count")).isZero();
		}
	}

	@Test
	void clsAnswersCloseWaitAndStopsDelivery() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 5)) {
			client.send("CLS");
			assertThat(client.readSkippingHeartbeats().text()).isEqualTo("CLOSE_WAIT");
			client.send("RDY 5");
			publish(cluster, topic, "not for you");
			assertThat(client.poll(400)).isNull();
			client.send("CLS");
			assertFatal(client, "E_INVALID cannot CLS in current state");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void afterRdyZeroAndClsTheMessagesInFlightCanStillBeTouchedFinishedAndRequeued() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = consumer(cluster, topic, "c", 3, "msg_timeout", 1000)) {
			publish(cluster, topic, "a", "b", "c");
			Msg a = client.readMessage();
			Msg b = client.readMessage();
			Msg c = client.readMessage();
			// what a draining consumer sends: nothing more, then its answers
			client.send("RDY 0");
			client.send("CLS");
			assertThat(client.readSkippingHeartbeats().text()).isEqualTo("CLOSE_WAIT");
			elapse(Duration.ofMillis(600));
			for (Msg msg : List.of(a, b, c)) {
				client.send("TOUCH " + msg.id());
			}
			elapse(Duration.ofMillis(600));
			// each would have timed out without its TOUCH
			client.send("FIN " + a.id());
			client.send("FIN " + b.id());
			client.send("REQ " + c.id() + " 0");
			client.send("NOP");
			assertThat(client.poll(300)).isNull();
			Map<String, Object> stats = channelStats(cluster, 0, topic, "c");
			assertThat(number(stats, "in_flight_count")).isZero();
			assertThat(number(stats, "requeue_count")).isEqualTo(1);
			assertThat(number(stats, "timeout_count")).isZero();
			assertThat(number(stats, "depth")).isEqualTo(1);
			Map<String, Object> client0 = (Map<String, Object>) ((List<Object>) stats.get("clients")).get(0);
			assertThat(number(client0, "finish_count")).isEqualTo(2);
			assertThat(number(client0, "requeue_count")).isEqualTo(1);
			assertThat(number(client0, "ready_count")).isZero();
		}
	}

	@Test
	void fanOutToChannelsAndCompetingConsumersWithinOne() throws IOException {
		String topic = unique("t");
		try (RawNsqClient a = consumer(cluster, topic, "a", 10);
				RawNsqClient b1 = consumer(cluster, topic, "b", 10);
				RawNsqClient b2 = consumer(cluster, topic, "b", 10)) {
			String[] bodies = new String[10];
			for (int i = 0; i < bodies.length; i++) {
				bodies[i] = "m" + i;
			}
			publish(cluster, topic, bodies);
			Set<String> onA = new HashSet<>();
			for (int i = 0; i < 10; i++) {
				onA.add(a.readMessage().text());
			}
			assertThat(onA).hasSize(10);
			Set<String> onB = new HashSet<>();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				for (RawNsqClient b : List.of(b1, b2)) {
					Frame frame = b.poll(50);
					if (frame != null && frame.type() == RawNsqClient.MESSAGE) {
						assertThat(onB.add(Msg.decode(frame.data()).text())).as("no duplicates").isTrue();
					}
				}
				return onB.size() == 10;
			});
		}
	}

	@Test
	void topicWithoutChannelHoldsMessages() throws IOException {
		String topic = unique("t");
		publish(cluster, topic, "held-1", "held-2");
		assertThat(number(topicStats(cluster, 0, topic), "depth")).isEqualTo(2);
		try (RawNsqClient client = consumer(cluster, topic, "first", 5)) {
			assertThat(client.readMessage().text()).isEqualTo("held-1");
			assertThat(client.readMessage().text()).isEqualTo("held-2");
			try (RawNsqClient late = consumer(cluster, topic, "late", 5)) {
				assertThat(late.poll(300)).as("a new channel gets no earlier messages").isNull();
			}
		}
	}

	@Test
	void ephemeralChannelAndTopicAreDeletedWithTheirLastConsumer() throws IOException {
		String topic = unique("t") + "#ephemeral";
		try (RawNsqClient client = consumer(cluster, topic, "c#ephemeral", 1)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> channelStats(cluster, 0, topic, "c#ephemeral") != null);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> topicStats(cluster, 0, topic) == null);

		String durable = unique("t");
		try (RawNsqClient client = consumer(cluster, durable, "e#ephemeral", 1)) {
			assertThat(channelStats(cluster, 0, durable, "e#ephemeral")).isNotNull();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> channelStats(cluster, 0, durable, "e#ephemeral") == null);
		assertThat(topicStats(cluster, 0, durable)).as("a durable topic stays").isNotNull();
	}

	@Test
	void heartbeatsAndTheReadDeadline() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			assertThat(client.identify(identifyBody("heartbeat_interval", 1000)).isOk()).isTrue();
			client.setReadTimeout(5000);
			Frame frame = client.read();
			assertThat(frame.isHeartbeat()).isTrue();
			// no NOP: nsqd closes after 2 x heartbeat without a command
			long start = System.nanoTime();
			while (true) {
				try {
					Frame next = client.read();
					assertThat(next.isHeartbeat()).isTrue();
				}
				catch (java.io.EOFException | java.net.SocketException ex) {
					break;
				}
			}
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4500);
		}
	}

}
