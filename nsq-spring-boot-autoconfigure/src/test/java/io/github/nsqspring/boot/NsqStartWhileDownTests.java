package io.github.nsqspring.boot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The application starts while nsqd and nsqlookupd are down, and works once they are up:
 * the producer connects on the next publish, listeners connect in the background.
 */
class NsqStartWhileDownTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withUserConfiguration(Listener.class);

	@Test
	void startsWhileNsqdIsDownAndConnectsWhenItComesUp() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, false)) {
			cluster.stopNode(0);
			this.contextRunner
				.withPropertyValues("nsq.nsqd.addresses=" + cluster.nsqdTcpAddress(0),
						"nsq.lookupd.poll-interval=100ms", "nsq.lookupd.poll-jitter=0")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(NsqListenerEndpointRegistry.class).getListenerContainer("down"))
						.satisfies((container) -> assertThat(container.isRunning()).isTrue());
					NsqTemplate template = context.getBean(NsqTemplate.class);
					assertThatExceptionOfType(NsqException.class).isThrownBy(() -> template.send("down", "early"));

					cluster.startNode(0);
					await().atMost(WAIT).ignoreExceptions().until(() -> template.send("down", "up") != null);
					await().atMost(WAIT).until(() -> context.getBean(Listener.class).received.contains("up"));
				});
		}
	}

	@Test
	void startsWhileNsqlookupdIsDownAndDiscoversWhenItComesUp() {
		try (EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(1, true)) {
			cluster.lookupd().stop();
			this.contextRunner
				.withPropertyValues("nsq.nsqd.addresses=" + cluster.nsqdTcpAddress(0),
						"nsq.lookupd.addresses=" + cluster.lookupdHttpAddress(), "nsq.lookupd.poll-interval=100ms",
						"nsq.lookupd.poll-jitter=0")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					NsqTemplate template = context.getBean(NsqTemplate.class);
					template.send("down", "published while lookupd is down");
					cluster.lookupd().start();
					await().atMost(WAIT)
						.until(() -> context.getBean(Listener.class).received
							.contains("published while lookupd is down"));
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "down", topic = "down", channel = "test")
		void onMessage(String body) {
			this.received.add(body);
		}

	}

}
