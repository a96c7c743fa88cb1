package io.github.nsqspring.test.contract;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.AuthResponse;
import io.github.nsqspring.test.auth.AuthResponse.Authorization;
import io.github.nsqspring.test.auth.NsqAuthorizer;
import io.github.nsqspring.test.contract.RawNsqClient.Frame;

import static io.github.nsqspring.test.contract.ContractSupport.assertFatal;
import static io.github.nsqspring.test.contract.ContractSupport.bytes;
import static io.github.nsqspring.test.contract.ContractSupport.identifyBody;
import static io.github.nsqspring.test.contract.ContractSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IDENTIFY feature negotiation (TLS with the shipped test certificate, snappy, deflate),
 * TLS required, and AUTH through an authorizer. Subclasses choose the nsqd: embedded or
 * real binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NegotiationContract {

	static final NsqAuthorizer AUTHORIZER = (request) -> switch (request.secret()) {
		case "good" -> new AuthResponse("alice", "https://example.test/alice", 3600,
				List.of(new Authorization("^allowed", List.of(".*"), List.of("subscribe", "publish"))));
		case "none" -> new AuthResponse("nobody", "", 3600, List.of());
		default -> null;
	};

	private NsqCluster cluster;

	/**
	 * Start the nsqd under test.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	@BeforeAll
	void startCluster() {
		cluster = start(NsqClusterSpec.of(1, false).withOptions(NsqdOptions.builder().tls(true).build()));
	}

	@AfterAll
	void stopCluster() {
		if (cluster != null) {
			cluster.close();
			cluster = null;
		}
	}

	private static void pubOk(RawNsqClient client, String topic) throws IOException {
		client.send("PUB " + topic, bytes("secure"));
		Frame frame = client.readSkippingHeartbeats();
		assertThat(frame.isOk()).as(frame.toString()).isTrue();
	}

	@Test
	void tlsUpgrade() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			Map<String, Object> answer = client.identify(identifyBody("feature_negotiation", true, "tls_v1", true))
				.json();
			assertThat(answer.get("tls_v1")).isEqualTo(true);
			client.upgradeTls();
			assertThat(client.read().isOk()).isTrue();
			pubOk(client, unique("t"));
		}
	}

	@Test
	void snappyUpgradeCarriesMessages() throws IOException {
		String topic = unique("t");
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			Map<String, Object> answer = client.identify(identifyBody("feature_negotiation", true, "snappy", true))
				.json();
			assertThat(answer.get("snappy")).isEqualTo(true);
			client.upgradeSnappy();
			assertThat(client.read().isOk()).isTrue();
			client.send("SUB " + topic + " c");
			assertThat(client.readSkippingHeartbeats().isOk()).isTrue();
			client.send("RDY 1");
			ContractSupport.publish(cluster, topic, "compressed");
			assertThat(client.readMessage().text()).isEqualTo("compressed");
		}
	}

	@Test
	void deflateUpgradeAtTheNegotiatedLevel() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			Map<String, Object> answer = client
				.identify(identifyBody("feature_negotiation", true, "deflate", true, "deflate_level", 3))
				.json();
			assertThat(answer.get("deflate")).isEqualTo(true);
			assertThat(answer.get("deflate_level")).isEqualTo(3L);
			client.upgradeDeflate(3);
			assertThat(client.read().isOk()).isTrue();
			pubOk(client, unique("t"));
			pubOk(client, unique("t"));
		}
	}

	@Test
	void tlsThenSnappy() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.identify(identifyBody("feature_negotiation", true, "tls_v1", true, "snappy", true));
			client.upgradeTls();
			assertThat(client.read().isOk()).isTrue();
			client.upgradeSnappy();
			assertThat(client.read().isOk()).isTrue();
			pubOk(client, unique("t"));
		}
	}

	@Test
	void snappyAndDeflateTogetherAreRefused() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("IDENTIFY", bytes("{\"feature_negotiation\":true,\"snappy\":true,\"deflate\":true}"));
			assertFatal(client, "E_IDENTIFY_FAILED cannot enable both deflate and snappy compression");
		}
	}

	@Test
	void authWithoutAuthServerIsDisabled() throws IOException {
		try (RawNsqClient client = RawNsqClient.connect(cluster.nsqdTcpAddress(0))) {
			client.send("AUTH", bytes("secret"));
			assertFatal(client, "E_AUTH_DISABLED AUTH disabled");
		}
	}

	@Test
	void tlsRequired() throws IOException {
		try (NsqCluster required = start(
				NsqClusterSpec.of(1, false).withOptions(NsqdOptions.builder().tlsRequired(true).build()))) {
			try (RawNsqClient client = RawNsqClient.connect(required.nsqdTcpAddress(0))) {
				client.send("PUB t", bytes("x"));
				assertFatal(client, "E_INVALID cannot PUB in current state (TLS required)");
			}
			try (RawNsqClient client = RawNsqClient.connect(required.nsqdTcpAddress(0))) {
				client.identify(identifyBody("feature_negotiation", true, "tls_v1", true));
				client.upgradeTls();
				assertThat(client.read().isOk()).isTrue();
				pubOk(client, "t");
			}
			HttpProbe.Response response = HttpProbe.post(required.nsqdHttpAddress(0), "/pub?topic=t", "x");
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.message()).isEqualTo("TLS_REQUIRED");
		}
	}

	@Test
	void auth() throws IOException {
		try (NsqCluster secured = start(
				NsqClusterSpec.of(1, false).withOptions(NsqdOptions.builder().authorizer(AUTHORIZER).build()))) {
			String address = secured.nsqdTcpAddress(0);
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				assertThat(client.identify(identifyBody("feature_negotiation", true)).json().get("auth_required"))
					.isEqualTo(true);
				client.send("PUB allowed", bytes("x"));
				assertFatal(client, "E_AUTH_FIRST AUTH required before PUB");
			}
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				client.send("AUTH", bytes("good"));
				Map<String, Object> answer = client.readSkippingHeartbeats().json();
				assertThat(answer).containsEntry("identity", "alice")
					.containsEntry("identity_url", "https://example.test/alice")
					.containsEntry("permission_count", 1L);
				pubOk(client, "allowed-topic");
				client.send("AUTH", bytes("good"));
				assertFatal(client, "E_INVALID AUTH already set");
			}
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				client.send("AUTH", bytes("good"));
				client.readSkippingHeartbeats();
				client.send("PUB denied", bytes("x"));
				assertFatal(client, "E_UNAUTHORIZED AUTH failed for PUB on \"denied\" \"\"");
			}
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				client.send("AUTH", bytes("good"));
				client.readSkippingHeartbeats();
				client.send("SUB allowed-t c");
				assertThat(client.readSkippingHeartbeats().isOk()).isTrue();
			}
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				client.send("AUTH", bytes("none"));
				assertFatal(client, "E_UNAUTHORIZED AUTH no authorizations found");
			}
			try (RawNsqClient client = RawNsqClient.connect(address)) {
				client.send("AUTH", bytes("wrong"));
				assertFatal(client, "E_AUTH_FAILED AUTH failed");
			}
		}
	}

}
