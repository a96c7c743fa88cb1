package io.github.nsqspring.apptests;

import java.nio.file.Path;
import java.time.Duration;

import io.github.nsqspring.apptests.fixtures.FixtureSupport;
import io.github.nsqspring.apptests.fixtures.compression.CompressionApplication;
import io.github.nsqspring.apptests.fixtures.worker.WorkerApplication;
import io.github.nsqspring.boot.admin.NsqdStats.ChannelStats;
import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How Spring runs and ends an application with listeners, in JVMs of their own against
 * the embedded nsqd: ending itself, the startup failure policy on compression without its
 * library, and a drain that outlasts Spring's shutdown phase. What nsqd does differently
 * from the embedded one does not matter here: these run once.
 *
 * @author nsq-spring
 */
class ApplicationLifecycleTests extends ApplicationTestSupport {

	@Override
	NsqCluster start(NsqClusterSpec spec) {
		return EmbeddedNsqCluster.start(spec);
	}

	@ParameterizedTest
	@ValueSource(strings = { "exit", "close" })
	void anApplicationThatEndsItsContextEndsItsJvmAfterTheDrain(String exitWith) throws Exception {
		String topic = "ends_" + exitWith;
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 200);
		LaunchedApp app = launch("worker", WorkerApplication.class, "--app.topic=" + topic,
				"--nsq.consumer.max-in-flight=50", "--nsq.consumer.concurrency=2", "--app.handler-millis=10",
				"--app.exit-after=20", "--app.exit-with=" + exitWith);
		// nothing else ends it: no signal, no System.exit
		assertThat(app.awaitExit(LAUNCH)).as("ended").isTrue();
		assertThat(app.process().exitValue()).isZero();
		assertThat(app.output()).contains("EXITING with " + exitWith).contains("Listener container 'work' stopped");
		ChannelStats stats = this.nsqd.channelWithoutClients(topic, "worker");
		StopSummary summary = StopSummary.of(app, topic, "worker");
		// what was delivered when the application decided to end was finished
		assertThat(summary.requeued()).isZero();
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(handled(app, "work")).isGreaterThanOrEqualTo(20);
	}

	@Test
	void snappyWithoutSnappyJavaFailsTheStartupNamingTheDependency() throws Exception {
		String topic = "snappy_stop";
		this.nsqd.createChannel(topic, "worker");
		LaunchedApp app = launchWithoutSnappyJava(topic);
		assertThat(app.awaitExit(LAUNCH)).as("ended").isTrue();
		assertThat(app.process().exitValue()).isNotZero();
		assertThat(app.output()).contains("Listener container 'worker' for " + topic + "/worker failed to start")
			.contains("org.xerial.snappy:snappy-java")
			.contains("Application run failed")
			.doesNotContain(FixtureSupport.READY);
		assertThat(this.nsqd.channel(topic, "worker").clientCount()).isZero();
	}

	@Test
	void snappyWithoutSnappyJavaUnderContinueGoesOnWithoutThatListener() throws Exception {
		String topic = "snappy_continue";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.createChannel(topic, "audit");
		LaunchedApp app = launchWithoutSnappyJava(topic, "--nsq.listener.startup-failure-policy=continue");
		app.awaitLine(FixtureSupport.READY, LAUNCH);
		this.nsqd.publish(topic, 20);
		// the listener that does not compress keeps the application up and consumes
		await().atMost(Duration.ofSeconds(20)).until(() -> NsqdProbe.finished(this.nsqd.channel(topic, "audit")) == 20);
		assertThat(app.process().isAlive()).isTrue();
		assertThat(app.output()).contains("Listener container 'worker' for " + topic + "/worker failed to start")
			.contains("org.xerial.snappy:snappy-java")
			.contains("continuing without it (startup failure policy CONTINUE)");
		ChannelStats worker = this.nsqd.channel(topic, "worker");
		assertThat(worker.clientCount()).isZero();
		assertThat(worker.depth()).isEqualTo(20);
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
	}

	@Test
	void aDrainLongerThanTheShutdownPhaseStillEndsBeforeTheListenerIsDestroyed() throws Exception {
		String topic = "phase_overrun";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 100);
		// 6 messages of 400 ms each on one thread: 2.4 s of work, a 1 s shutdown phase
		LaunchedApp app = launch("worker", WorkerApplication.class, "--app.topic=" + topic,
				"--nsq.consumer.max-in-flight=6", "--app.handler-millis=400", "--nsq.listener.shutdown-timeout=5s",
				"--spring.lifecycle.timeout-per-shutdown-phase=1s");
		app.awaitLine(FixtureSupport.READY, LAUNCH);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.nsqd.channel(topic, "worker").inFlightCount() == 6);
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		assertThat(app.output()).contains("exceeds spring.lifecycle.timeout-per-shutdown-phase");
		StopSummary summary = StopSummary.of(app, topic, "worker");
		assertThat(summary.requeued()).isZero();
		assertThat(summary.millis()).isGreaterThan(1000);
		int drained = app.lineIndex("Consumer " + topic + "/worker stopped in");
		assertThat(app.lineIndex("WORK BEAN DESTROYED")).as(app.output()).isGreaterThan(drained);
		ChannelStats stats = this.nsqd.channelWithoutClients(topic, "worker");
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
	}

	private LaunchedApp launchWithoutSnappyJava(String topic, String... args) throws Exception {
		assertThat(AppLauncher.classpath((entry) -> true)).anyMatch((entry) -> isSnappyJava(Path.of(entry)));
		String[] all = new String[args.length + 2];
		all[0] = "--app.topic=" + topic;
		all[1] = "--nsq.client.compression=snappy";
		System.arraycopy(args, 0, all, 2, args.length);
		return launch("compression", CompressionApplication.class, (entry) -> !isSnappyJava(entry), all);
	}

	private static boolean isSnappyJava(Path entry) {
		return entry.getFileName().toString().startsWith("snappy-java");
	}

}
