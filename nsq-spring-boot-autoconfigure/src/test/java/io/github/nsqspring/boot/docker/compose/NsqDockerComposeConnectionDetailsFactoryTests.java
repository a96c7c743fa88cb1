package io.github.nsqspring.boot.docker.compose;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NsqDockerComposeConnectionDetailsFactory} as Spring Boot's Docker Compose
 * support calls it: through {@link ConnectionDetailsFactories} (which finds it in
 * {@code spring.factories}) for each running service. The services are described in the
 * test; Compose itself is not run (this machine has no Docker engine).
 */
class NsqDockerComposeConnectionDetailsFactoryTests {

	@Test
	void nsqdServiceGivesItsTcpAndHttpAddresses() {
		NsqConnectionDetails details = nsqDetails(
				new TestRunningService("nsqd", "nsqio/nsq:v1.3.0", Map.of(4150, 32801, 4151, 32802)));
		assertThat(details).isNotNull();
		assertThat(details.getNsqdAddresses()).containsExactly("127.0.0.1:32801");
		assertThat(details.getNsqdHttpAddresses()).containsExactly("127.0.0.1:32802");
		assertThat(details.getLookupdAddresses()).isEmpty();
	}

	@Test
	void nsqdServiceWithoutItsHttpPortHasNoHttpAddress() {
		NsqConnectionDetails details = nsqDetails(new TestRunningService("nsqd", "nsqio/nsq", Map.of(4150, 32801)));
		assertThat(details).isNotNull();
		assertThat(details.getNsqdAddresses()).containsExactly("127.0.0.1:32801");
		assertThat(details.getNsqdHttpAddresses()).isEmpty();
	}

	@Test
	void nsqlookupdServiceGivesNothingSoTheNsqdServiceStaysTheOnlyConnection() {
		assertThat(connectionDetails(
				new TestRunningService("nsqlookupd", "nsqio/nsq:v1.3.0", Map.of(4160, 32803, 4161, 32804))))
			.isEmpty();
	}

	@Test
	void nsqadminServiceGivesNothing() {
		assertThat(connectionDetails(new TestRunningService("nsqadmin", "nsqio/nsq:v1.3.0", Map.of(4171, 32805))))
			.isEmpty();
	}

	@Test
	void serviceRunningNsqdAndNsqlookupdGivesBoth() {
		NsqConnectionDetails details = nsqDetails(new TestRunningService("nsq", "nsqio/nsq:v1.3.0",
				Map.of(4150, 4150, 4151, 4151, 4160, 4160, 4161, 4161)));
		assertThat(details).isNotNull();
		assertThat(details.getNsqdAddresses()).containsExactly("127.0.0.1:4150");
		assertThat(details.getLookupdAddresses()).containsExactly("127.0.0.1:4161");
	}

	@Test
	void imageIsRecognisedWithRegistryAndDigest() {
		assertThat(nsqDetails(new TestRunningService("nsqd",
				"docker.io/nsqio/nsq:v1.3.0@sha256:0000000000000000000000000000000000000000000000000000000000000000",
				Map.of(4150, 32801))))
			.isNotNull();
	}

	@Test
	void otherImageIsRecognisedByTheServiceConnectionLabel() {
		assertThat(nsqDetails(new TestRunningService("nsqd", "registry.example.com/messaging/nsq:1.3.0", "127.0.0.1",
				Map.of(4150, 32801), Map.of("org.springframework.boot.service-connection", "nsqio/nsq"))))
			.isNotNull();
	}

	@Test
	void otherImageGivesNothing() {
		assertThat(connectionDetails(new TestRunningService("cache", "redis:7", Map.of(4150, 32801)))).isEmpty();
	}

	@Test
	void ipv6HostIsBracketed() {
		NsqConnectionDetails details = nsqDetails(
				new TestRunningService("nsqd", "nsqio/nsq", "::1", Map.of(4150, 32801), Map.of()));
		assertThat(details).isNotNull();
		assertThat(details.getNsqdAddresses()).containsExactly("[::1]:32801");
	}

	@Test
	void applicationPublishesAndListensThroughTheService() throws InterruptedException {
		try (EmbeddedNsqCluster nsq = EmbeddedNsqCluster.start(1, false)) {
			// the service's "published ports" are the embedded nsqd's
			NsqConnectionDetails details = nsqDetails(new TestRunningService("nsqd", "nsqio/nsq:v1.3.0",
					Map.of(4150, nsq.nsqd(0).tcpPort(), 4151, nsq.nsqd(0).httpPort())));
			assertThat(details).isNotNull();
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
				.withPropertyValues("nsq.nsqd.addresses=127.0.0.1:1")
				.withBean(NsqConnectionDetails.class, () -> details)
				.withBean(Listener.class)
				.run((context) -> {
					context.getBean(NsqTemplate.class).send("compose", "from the host");
					assertThat(context.getBean(Listener.class).received.poll(Duration.ofSeconds(20).toSeconds(),
							TimeUnit.SECONDS))
						.isEqualTo("from the host");
				});
		}
	}

	private static @Nullable NsqConnectionDetails nsqDetails(RunningService service) {
		return (NsqConnectionDetails) connectionDetails(service).get(NsqConnectionDetails.class);
	}

	private static Map<Class<?>, ConnectionDetails> connectionDetails(RunningService service) {
		return new ConnectionDetailsFactories(null)
			.getConnectionDetails(DockerComposeConnectionSources.of(service, new MockEnvironment()), false);
	}

	static class Listener {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@NsqListener(topic = "compose", channel = "tests")
		void onMessage(String body) {
			this.received.add(body);
		}

	}

}
