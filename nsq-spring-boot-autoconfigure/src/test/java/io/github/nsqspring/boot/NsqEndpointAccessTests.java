package io.github.nsqspring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.test.junit.EmbeddedNsq;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boot's access rules decide whether the {@code nsq} endpoint's pause and resume are
 * reachable: by default the exposed endpoint is read-only, and an endpoint set to
 * read-only stays so when every other endpoint is unrestricted. A refused request changes
 * nothing: the listener keeps receiving.
 */
@SpringBootTest(classes = NsqEndpointAccessTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=nsq")
@AutoConfigureRestTestClient
@EmbeddedNsq
class NsqEndpointAccessTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	private RestTestClient http;

	@Autowired
	private NsqListenerEndpointRegistry registry;

	@Autowired
	private NsqOperations nsq;

	@Autowired
	private App app;

	@Test
	void byDefaultTheViewIsReadableAndPauseIsRefused() {
		assertReadableButNotWritable();
	}

	@Nested
	@TestPropertySource(properties = { "management.endpoints.access.default=unrestricted",
			"management.endpoint.nsq.access=read-only" })
	class ReadOnlyForThisEndpointOnly {

		@Test
		void pauseIsRefused() {
			assertReadableButNotWritable();
		}

	}

	private void assertReadableButNotWritable() {
		await().atMost(WAIT)
			.untilAsserted(() -> this.http.get()
				.uri("/actuator/nsq/guarded")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.state")
				.isEqualTo("RUNNING")
				.jsonPath("$.connections[0].state")
				.isEqualTo("CONNECTED"));
		this.http.post()
			.uri("/actuator/nsq/guarded")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("state", "paused"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(this.registry.getListenerContainer("guarded").isPaused()).isFalse();
		String body = "still delivered " + System.nanoTime();
		this.nsq.send("access-guarded", body);
		await().atMost(WAIT).until(() -> this.app.guarded.contains(body));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> guarded = new CopyOnWriteArrayList<>();

		@NsqListener(id = "guarded", topic = "access-guarded", channel = "guarded")
		void guarded(String body) {
			this.guarded.add(body);
		}

	}

}
