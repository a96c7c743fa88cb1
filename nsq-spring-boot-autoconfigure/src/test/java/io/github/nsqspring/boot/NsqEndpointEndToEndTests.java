package io.github.nsqspring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.test.NsqdChannelStats;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.AuthRequest;
import io.github.nsqspring.test.auth.AuthResponse;
import io.github.nsqspring.test.spring.NsqTestProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code nsq} actuator endpoint over HTTP in a running application, against an
 * embedded nsqd that requires AUTH: two listeners consume, the view shows what they and
 * the producer did (and nsqd's {@code /stats} agrees), pause and resume change what nsqd
 * sends, and the auth secret never shows. Write access is granted here
 * ({@code management.endpoint.nsq.access=unrestricted}); {@link NsqEndpointAccessTests}
 * covers the default. Each scenario has its own listener and topic; the producer is
 * shared, so its counts are compared before and after.
 */
@SpringBootTest(classes = NsqEndpointEndToEndTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=nsq", "management.endpoint.nsq.access=unrestricted",
				"nsq.client.auth-secret=" + NsqEndpointEndToEndTests.SECRET, "nsq.consumer.max-in-flight=5" })
@AutoConfigureRestTestClient
@DirtiesContext
class NsqEndpointEndToEndTests {

	static final String SECRET = "s3cret-for-the-actuator-test";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Secrets nsqd was given with AUTH, to show that the secret is in use. */
	private static final Set<String> presentedSecrets = new CopyOnWriteArraySet<>();

	/** Closed with the context ({@link App#embeddedNsqCluster()}). */
	private static final EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(new NsqClusterSpec(1, false,
			NsqdOptions.builder().authorizer(NsqEndpointEndToEndTests::authorize).build()));

	@DynamicPropertySource
	static void nsq(DynamicPropertyRegistry registry) {
		NsqTestProperties.register(registry, cluster);
	}

	/**
	 * The secret may subscribe to and publish on {@code ep-*} topics only.
	 */
	private static AuthResponse authorize(AuthRequest request) {
		presentedSecrets.add(request.secret());
		if (!SECRET.equals(request.secret())) {
			return null;
		}
		return new AuthResponse("actuator-test", "", 3600,
				List.of(new AuthResponse.Authorization("^ep-", List.of(".*"), List.of("subscribe", "publish"))));
	}

	@Autowired
	private App app;

	@Autowired
	private NsqOperations nsq;

	@Autowired
	private RestTestClient http;

	@Test
	void showsBothListenersWithTheirConnectionsAndTheProducerWithWhatWasPublished() throws Exception {
		long publishedBefore = producer(nsqView()).get("published").asLong();
		long failedBefore = producer(nsqView()).get("failed").asLong();
		for (int i = 0; i < 3; i++) {
			this.nsq.send("ep-orders", "order " + i);
		}
		for (int i = 0; i < 2; i++) {
			this.nsq.send("ep-audit", "entry " + i);
		}
		await().atMost(WAIT).until(() -> this.app.orders.size() == 3 && this.app.audit.size() == 2);
		// a message is finished just after its listener returned
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode view = nsqView();
			assertListener(view.get("listeners").get("orders"), "ep-orders", "billing", 3);
			assertListener(view.get("listeners").get("audit"), "ep-audit", "audit", 2);
		});
		JsonNode producer = producer(nsqView());
		assertThat(producer.get("published").asLong() - publishedBefore).isEqualTo(5);
		assertThat(producer.get("failed").asLong()).isEqualTo(failedBefore);
		assertThat(producer.get("pending").asLong()).isZero();
		JsonNode node = producer.get("nodes").get(0);
		assertThat(node.get("nsqd").asString()).isEqualTo(cluster.nsqdTcpAddress(0));
		assertThat(node.get("state").asString()).isEqualTo("CONNECTED");
		// nsqd, asked from the other side, counts the same
		assertThat(channelStat("ep-orders", "billing", "message_count")).isEqualTo(3);
		assertThat(channelStat("ep-audit", "audit", "message_count")).isEqualTo(2);
	}

	private void assertListener(JsonNode listener, String topic, String channel, long messages) {
		assertThat(listener.get("topic").asString()).isEqualTo(topic);
		assertThat(listener.get("channel").asString()).isEqualTo(channel);
		assertThat(listener.get("state").asString()).isEqualTo("RUNNING");
		assertThat(listener.get("maxInFlight").asInt()).isEqualTo(5);
		assertThat(listener.get("received").asLong()).isEqualTo(messages);
		assertThat(listener.get("finished").asLong()).isEqualTo(messages);
		assertThat(listener.get("requeued").asLong()).isZero();
		assertThat(listener.get("inFlight").asLong()).isZero();
		assertThat(listener.get("rdy").asLong()).isEqualTo(5);
		JsonNode connections = listener.get("connections");
		assertThat(connections.size()).isEqualTo(1);
		JsonNode connection = connections.get(0);
		assertThat(connection.get("nsqd").asString()).isEqualTo(cluster.nsqdTcpAddress(0));
		assertThat(connection.get("state").asString()).isEqualTo("CONNECTED");
		assertThat(connection.get("rdy").asLong()).isEqualTo(5);
		assertThat(connection.get("inFlight").asLong()).isZero();
		assertThat(connection.get("finished").asLong()).isEqualTo(messages);
		assertThat(connection.get("requeued").asLong()).isZero();
		assertThat(connection.hasNonNull("lastError")).isFalse();
	}

	@Test
	void pauseStopsDeliveryAndResumeRestartsIt() throws Exception {
		this.nsq.send("ep-pausable", "before");
		await().atMost(WAIT).until(() -> this.app.pausable.size() == 1);
		JsonNode paused = changeState("pausable", "paused");
		assertThat(paused.get("state").asString()).isEqualTo("PAUSED");
		// nsqd is told RDY 0, and sends nothing more
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(
					NsqdChannelStats.clients(cluster.nsqdHttpAddress(0), "ep-pausable", "pausable", "ready_count"))
				.containsExactly(0L));
		for (int i = 0; i < 3; i++) {
			this.nsq.send("ep-pausable", "while paused " + i);
		}
		await().atMost(WAIT).until(() -> channelStat("ep-pausable", "pausable", "depth") == 3);
		assertThat(channelStat("ep-pausable", "pausable", "in_flight_count")).isZero();
		assertThat(this.app.pausable).containsExactly("before");
		JsonNode view = listenerView("pausable");
		assertThat(view.get("state").asString()).isEqualTo("PAUSED");
		assertThat(view.get("rdy").asLong()).isZero();
		assertThat(view.get("connections").get(0).get("rdy").asLong()).isZero();
		JsonNode resumed = changeState("pausable", "resumed");
		assertThat(resumed.get("state").asString()).isEqualTo("RUNNING");
		await().atMost(WAIT).until(() -> this.app.pausable.size() == 4);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(channelStat("ep-pausable", "pausable", "depth")).isZero();
			assertThat(NsqdChannelStats.clients(cluster.nsqdHttpAddress(0), "ep-pausable", "pausable", "ready_count"))
				.containsExactly(5L);
		});
	}

	@Test
	void anUnknownListenerIsNotFound() {
		this.http.get().uri("/actuator/nsq/nope").exchange().expectStatus().isNotFound();
		post("nope", Map.of("state", "paused")).expectStatus().isNotFound();
	}

	@Test
	void aStateOtherThanPausedOrResumedIsABadRequestAndChangesNothing() {
		post("steady", Map.of("state", "stopped")).expectStatus().isBadRequest();
		post("steady", Map.of()).expectStatus().isBadRequest();
		assertThat(listenerView("steady").get("state").asString()).isEqualTo("RUNNING");
	}

	@Test
	void theAuthSecretAppearsNowhereEvenBesideAnAuthorizationError() {
		this.nsq.send("ep-secret", "authenticated");
		assertThat(presentedSecrets).containsExactly(SECRET);
		// nsqd refuses this topic to the secret's identity (E_UNAUTHORIZED)
		assertThatExceptionOfType(NsqException.class).isThrownBy(() -> this.nsq.send("forbidden", "x"));
		String view = get("/actuator/nsq");
		JsonNode node = producer(JSON.readTree(view)).get("nodes").get(0);
		assertThat(node.get("lastError").asString()).contains("E_UNAUTHORIZED");
		assertThat(view).doesNotContain(SECRET);
		assertThat(get("/actuator/nsq/{id}", "orders")).contains("ep-orders").doesNotContain(SECRET);
	}

	private String get(String uri, Object... variables) {
		return this.http.get()
			.uri(uri, variables)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode nsqView() {
		return JSON.readTree(get("/actuator/nsq"));
	}

	private JsonNode listenerView(String id) {
		return JSON.readTree(get("/actuator/nsq/{id}", id));
	}

	private static JsonNode producer(JsonNode view) {
		JsonNode producers = view.get("producers");
		assertThat(producers.propertyNames()).containsExactly("nsqProducer");
		return producers.get("nsqProducer");
	}

	private RestTestClient.ResponseSpec post(String id, Map<String, String> body) {
		return this.http.post()
			.uri("/actuator/nsq/{id}", id)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	private JsonNode changeState(String id, String state) {
		return JSON.readTree(post(id, Map.of("state", state)).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private static long channelStat(String topic, String channel, String stat) throws Exception {
		return NsqdChannelStats.get(cluster.nsqdHttpAddress(0), topic, channel, stat);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> orders = new CopyOnWriteArrayList<>();

		final List<String> audit = new CopyOnWriteArrayList<>();

		final List<String> pausable = new CopyOnWriteArrayList<>();

		@Bean(destroyMethod = "close")
		EmbeddedNsqCluster embeddedNsqCluster() {
			return cluster;
		}

		@NsqListener(id = "orders", topic = "ep-orders", channel = "billing")
		void orders(String body) {
			this.orders.add(body);
		}

		@NsqListener(id = "audit", topic = "ep-audit", channel = "audit")
		void audit(String body) {
			this.audit.add(body);
		}

		@NsqListener(id = "pausable", topic = "ep-pausable", channel = "pausable")
		void pausable(String body) {
			this.pausable.add(body);
		}

		@NsqListener(id = "steady", topic = "ep-steady", channel = "steady")
		void steady(String body) {
		}

	}

}
