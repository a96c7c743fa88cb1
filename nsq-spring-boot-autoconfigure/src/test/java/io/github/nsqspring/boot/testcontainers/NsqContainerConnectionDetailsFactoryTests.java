package io.github.nsqspring.boot.testcontainers;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.testcontainers.NsqContainerConnectionDetailsFactory.Addresses;
import io.github.nsqspring.boot.testcontainers.NsqContainerConnectionDetailsFactory.NsqContainerConnectionDetails;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsNotFoundException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link NsqContainerConnectionDetailsFactory} through Spring Boot's
 * {@code @ServiceConnection} support, on containers that need no Docker engine
 * ({@link EmbeddedNsqContainer}: the in-JVM nsqd behind the container API). Not run
 * against a real {@code nsqio/nsq} container here: this machine has no Docker.
 */
class NsqContainerConnectionDetailsFactoryTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class, NsqAutoConfiguration.class))
		.withPropertyValues("nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0");

	@Test
	void nsqdContainerBeanIsWhereTheApplicationPublishesAndListens() {
		this.runner.withUserConfiguration(NsqdContainerConfiguration.class, Listener.class).run((context) -> {
			EmbeddedNsqContainer container = context.getBean(EmbeddedNsqContainer.class);
			NsqConnectionDetails details = context.getBean(NsqConnectionDetails.class);
			assertThat(details).isInstanceOf(NsqContainerConnectionDetails.class);
			assertThat(details.getNsqdAddresses()).containsExactly(container.cluster().nsqdTcpAddress(0));
			assertThat(details.getNsqdHttpAddresses()).containsExactly(container.cluster().nsqdHttpAddress(0));
			assertThat(details.getLookupdAddresses()).isEmpty();
			assertPublishedMessageIsReceived(context);
		});
	}

	@Test
	void containerRunningNsqlookupdTooLetsListenersDiscoverNsqdThroughIt() {
		this.runner.withUserConfiguration(NsqdAndLookupdContainerConfiguration.class, Listener.class).run((context) -> {
			EmbeddedNsqContainer container = context.getBean(EmbeddedNsqContainer.class);
			NsqConnectionDetails details = context.getBean(NsqConnectionDetails.class);
			assertThat(details.getNsqdAddresses()).containsExactly(container.cluster().nsqdTcpAddress(0));
			assertThat(details.getLookupdAddresses()).containsExactly(container.cluster().lookupdHttpAddress());
			assertThat(context.getBean(DefaultNsqConsumerFactory.class).getLookupdAddresses())
				.containsExactly(container.cluster().lookupdHttpAddress());
			assertPublishedMessageIsReceived(context);
		});
	}

	@Test
	void anotherImageIsAcceptedWhenTheServiceConnectionIsNamedNsqioNsq() {
		this.runner.withUserConfiguration(CustomImageContainerConfiguration.class).run((context) -> {
			EmbeddedNsqContainer container = context.getBean(EmbeddedNsqContainer.class);
			assertThat(context.getBean(NsqConnectionDetails.class).getNsqdAddresses())
				.containsExactly(container.cluster().nsqdTcpAddress(0));
		});
	}

	@Test
	void containerOfAnotherServiceIsNotTakenForNsq() {
		// no factory here knows redis: Boot then fails, which shows this one declined it
		this.runner.withUserConfiguration(OtherServiceContainerConfiguration.class)
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(ConnectionDetailsNotFoundException.class)
				.hasMessageContaining("redis"));
	}

	@Test
	void commandNamesThePrograms() {
		assertThat(Addresses.programs(new String[] { "/nsqd", "--broadcast-address=localhost" })).contains("nsqd")
			.doesNotContain("nsqlookupd");
		assertThat(Addresses.programs(new String[] { "sh", "-c",
				"/nsqlookupd & exec /usr/local/bin/nsqd --lookupd-tcp-address=127.0.0.1:4160" }))
			.contains("nsqd", "nsqlookupd")
			.doesNotContain("lookupd");
		assertThat(Addresses.programs(new String[] { "nsqadmin", "--lookupd-http-address=nsqlookupd:4161" }))
			.doesNotContain("nsqd", "nsqlookupd");
		// options naming a path are not programs
		assertThat(Addresses.programs(new String[] { "/nsqlookupd", "--log-prefix=/nsqd", "-data-path", "/data" }))
			.contains("nsqlookupd")
			.doesNotContain("nsqd");
	}

	@Test
	void withoutACommandTheExposedPortsTellWhatRuns() {
		withAddresses(new EmbeddedNsqContainer("nsqio/nsq").withExposedPorts(4150, 4151), (addresses, cluster) -> {
			assertThat(addresses.nsqd()).containsExactly(cluster.nsqdTcpAddress(0));
			assertThat(addresses.nsqdHttp()).containsExactly(cluster.nsqdHttpAddress(0));
			assertThat(addresses.lookupd()).isEmpty();
		});
	}

	@Test
	void nsqlookupdAloneGivesOnlyItsAddress() {
		withAddresses(new EmbeddedNsqContainer("nsqio/nsq").withCommand("/nsqlookupd").withExposedPorts(4160, 4161),
				(addresses, cluster) -> {
					assertThat(addresses.nsqd()).isEmpty();
					assertThat(addresses.nsqdHttp()).isEmpty();
					assertThat(addresses.lookupd()).containsExactly(cluster.lookupdHttpAddress());
				});
	}

	@Test
	void nsqlookupdWhosePortIsNotExposedIsLeftOut() {
		withAddresses(new EmbeddedNsqContainer("nsqio/nsq")
			.withCommand("sh", "-c", "/nsqlookupd & exec /nsqd --lookupd-tcp-address=127.0.0.1:4160")
			.withExposedPorts(4150), (addresses, cluster) -> {
				assertThat(addresses.nsqd()).containsExactly(cluster.nsqdTcpAddress(0));
				assertThat(addresses.nsqdHttp()).isEmpty();
				assertThat(addresses.lookupd()).isEmpty();
			});
	}

	@Test
	void nsqdWithoutItsTcpPortExposedIsAClearError() {
		EmbeddedNsqContainer container = new EmbeddedNsqContainer("nsqio/nsq:v1.3.0").withCommand("/nsqd")
			.withExposedPorts(4151);
		assertThatIllegalStateException().isThrownBy(() -> withAddresses(container, (addresses, cluster) -> {
		}))
			.withMessageContaining("nsqio/nsq:v1.3.0")
			.withMessageContaining("[/nsqd]")
			.withMessageContaining("runs nsqd but does not expose its TCP port 4150")
			.withMessageContaining("withExposedPorts(4150, 4151)");
	}

	@Test
	void containerRunningNeitherNsqdNorNsqlookupdIsAClearError() {
		EmbeddedNsqContainer container = new EmbeddedNsqContainer("nsqio/nsq").withCommand("/nsqadmin")
			.withExposedPorts(4171);
		assertThatIllegalStateException().isThrownBy(() -> withAddresses(container, (addresses, cluster) -> {
		}))
			.withMessageContaining("[/nsqadmin]")
			.withMessageContaining("[4171]")
			.withMessageContaining("gives no NSQ address");
	}

	/**
	 * Start the container, read its addresses as the factory does and stop it.
	 */
	private static void withAddresses(EmbeddedNsqContainer container,
			BiConsumer<Addresses, EmbeddedNsqCluster> assertions) {
		container.start();
		try {
			assertions.accept(Addresses.of(container), container.cluster());
		}
		finally {
			container.stop();
		}
	}

	private static void assertPublishedMessageIsReceived(AssertableApplicationContext context)
			throws InterruptedException {
		context.getBean(NsqTemplate.class).send(Listener.TOPIC, "through the container");
		assertThat(context.getBean(Listener.class).received.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
			.isEqualTo("through the container");
	}

	@Configuration(proxyBeanMethods = false)
	static class NsqdContainerConfiguration {

		// on a @Bean method Boot cannot read the image name before the container exists:
		// the service connection is named
		@Bean
		@ServiceConnection(name = "nsqio/nsq")
		EmbeddedNsqContainer nsq() {
			return new EmbeddedNsqContainer("nsqio/nsq:v1.3.0").withCommand("/nsqd").withExposedPorts(4150, 4151);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NsqdAndLookupdContainerConfiguration {

		@Bean
		@ServiceConnection(name = "nsqio/nsq")
		EmbeddedNsqContainer nsq() {
			return new EmbeddedNsqContainer("nsqio/nsq:v1.3.0")
				.withCommand("sh", "-c",
						"/nsqlookupd & exec /nsqd --lookupd-tcp-address=127.0.0.1:4160 --broadcast-address=127.0.0.1")
				.withExposedPorts(4150, 4151, 4160, 4161);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomImageContainerConfiguration {

		@Bean
		@ServiceConnection(name = "nsqio/nsq")
		EmbeddedNsqContainer nsq() {
			return new EmbeddedNsqContainer("registry.example.com/messaging/nsq:1.3.0-patched").withCommand("/nsqd")
				.withExposedPorts(4150);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherServiceContainerConfiguration {

		@Bean
		@ServiceConnection(name = "redis")
		EmbeddedNsqContainer redis() {
			return new EmbeddedNsqContainer("redis:7").withExposedPorts(6379);
		}

	}

	static class Listener {

		static final String TOPIC = "service-connection";

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@NsqListener(topic = TOPIC, channel = "tests")
		void onMessage(String body) {
			this.received.add(body);
		}

	}

}
