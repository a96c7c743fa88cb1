package io.github.nsqspring.boot.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Declarations at startup, in an application context against an embedded nsqd and
 * nsqlookupd: declarable beans, listener channels, and the failure policy.
 */
class NsqDeclarerTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class));

	private EmbeddedNsqCluster cluster;

	@BeforeEach
	void startCluster() {
		this.cluster = EmbeddedNsqCluster.start(NsqClusterSpec.of(2, true));
		await().atMost(WAIT)
			.until(() -> new NsqAdmin(java.util.List.of(), java.util.List.of(this.cluster.lookupdHttpAddress())).nodes()
				.size() == 2);
	}

	@AfterEach
	void stopCluster() {
		this.cluster.close();
	}

	@Test
	void declarableBeansAreCreatedOnEveryNodeAtStartup() {
		// node 0 is configured, node 1 is found through nsqlookupd
		this.contextRunner.withUserConfiguration(Declarations.class)
			.withPropertyValues("nsq.nsqd.http-addresses=" + this.cluster.nsqdHttpAddress(0),
					"nsq.lookupd.addresses=" + this.cluster.lookupdHttpAddress())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (int node = 0; node < 2; node++) {
					assertThat(this.cluster.nsqd(node).topicNames()).contains("decl-alone", "decl-orders",
							"decl-payments");
					assertThat(this.cluster.nsqd(node).channelNames("decl-orders")).containsExactlyInAnyOrder("billing",
							"audit");
					assertThat(this.cluster.nsqd(node).channelNames("decl-payments")).containsExactly("ledger");
					assertThat(this.cluster.nsqd(node).channelNames("decl-alone")).isEmpty();
				}
				assertThat(context.getBean(NsqDeclarer.class).isRetrying()).isFalse();
			});
	}

	@Test
	void listenerChannelsAreDeclaredWhenTheListenerStarts() {
		this.contextRunner.withUserConfiguration(Listeners.class)
			.withPropertyValues("nsq.lookupd.addresses=" + this.cluster.lookupdHttpAddress())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (int node = 0; node < 2; node++) {
					// the ephemeral channel is left to its consumer: nsqd would never
					// delete one created for nobody
					assertThat(this.cluster.nsqd(node).channelNames("decl-listened")).containsExactly("worker");
				}
			});
	}

	@Test
	void listenerChannelsAreNotDeclaredWhenTurnedOff() {
		this.contextRunner.withUserConfiguration(Listeners.class)
			.withPropertyValues("nsq.lookupd.addresses=" + this.cluster.lookupdHttpAddress(),
					"nsq.admin.declare-listener-channels=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// nothing published, so the consumers found no nsqd with the topic yet
				assertThat(this.cluster.nsqd(0).topicNames()).doesNotContain("decl-listened");
				assertThat(this.cluster.nsqd(1).topicNames()).doesNotContain("decl-listened");
			});
	}

	@Test
	void withFailOnErrorAnUnreachableNsqdFailsStartupNamingIt() throws IOException {
		String dead = "127.0.0.1:" + closedPort();
		this.contextRunner.withUserConfiguration(Declarations.class)
			.withPropertyValues("nsq.nsqd.http-addresses=" + dead, "nsq.admin.fail-on-error=true",
					"nsq.admin.timeout=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.cause()
				.isInstanceOf(NsqAdminException.class)
				.hasMessageContaining(dead)
				.hasMessageContaining("unreachable")
				.hasMessageContaining("decl-orders"));
	}

	@Test
	void withFailOnErrorAListenerWhoseChannelCannotBeDeclaredFailsStartup() throws IOException {
		String dead = "127.0.0.1:" + closedPort();
		this.contextRunner.withUserConfiguration(Listeners.class)
			.withPropertyValues("nsq.nsqd.addresses=" + this.cluster.nsqdTcpAddress(0),
					"nsq.nsqd.http-addresses=" + dead, "nsq.admin.fail-on-error=true", "nsq.admin.timeout=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("failed to start")
				.hasStackTraceContaining("decl-listened/worker")
				.hasStackTraceContaining(dead));
	}

	@Test
	void byDefaultAFailedDeclarationIsRetriedUntilNsqdIsBack() {
		this.cluster.stopNode(0);
		this.contextRunner.withUserConfiguration(Declarations.class)
			.withPropertyValues("nsq.nsqd.http-addresses=" + this.cluster.nsqdHttpAddress(0),
					"nsq.admin.retry-interval=100ms", "nsq.admin.timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NsqDeclarer declarer = context.getBean(NsqDeclarer.class);
				assertThat(declarer.isRetrying()).isTrue();
				this.cluster.startNode(0);
				await().atMost(WAIT).until(() -> !declarer.isRetrying());
				assertThat(this.cluster.nsqd(0).channelNames("decl-orders")).containsExactlyInAnyOrder("billing",
						"audit");
			});
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().equals("nsq-admin-declare"));
	}

	@Test
	void retryingStopsWithTheContext() {
		this.cluster.stopNode(0);
		this.contextRunner.withUserConfiguration(Declarations.class)
			.withPropertyValues("nsq.nsqd.http-addresses=" + this.cluster.nsqdHttpAddress(0),
					"nsq.admin.retry-interval=100ms", "nsq.admin.timeout=1s")
			.run((context) -> {
				assertThat(context.getBean(NsqDeclarer.class).isRetrying()).isTrue();
				assertThat(Thread.getAllStackTraces().keySet())
					.anyMatch((thread) -> thread.getName().equals("nsq-admin-declare"));
			});
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().equals("nsq-admin-declare"));
	}

	@Test
	void withoutAnyNsqdOrNsqlookupdAddressDeclarationsAreSkippedOrFailWithWhatToSet() {
		this.contextRunner.withUserConfiguration(Declarations.class)
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withUserConfiguration(Declarations.class)
			.withPropertyValues("nsq.admin.fail-on-error=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("nsq.nsqd.http-addresses")
				.hasStackTraceContaining("nsq.lookupd.addresses"));
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Declarations {

		@Bean
		NsqTopic aloneTopic() {
			return new NsqTopic("decl-alone");
		}

		@Bean
		NsqDeclarables orders() {
			return NsqDeclarables.topicWithChannels("decl-orders", "billing", "audit");
		}

		@Bean
		NsqChannel ledger() {
			return new NsqChannel("decl-payments", "ledger");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(topic = "decl-listened", channel = "worker")
		void worker(String message) {
		}

		@NsqListener(topic = "decl-listened", channel = "watcher#ephemeral")
		void watcher(String message) {
		}

	}

}
