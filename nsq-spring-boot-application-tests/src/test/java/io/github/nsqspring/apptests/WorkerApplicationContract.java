package io.github.nsqspring.apptests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.nsqspring.apptests.fixtures.FixtureSupport;
import io.github.nsqspring.apptests.fixtures.manualack.ManualAckApplication;
import io.github.nsqspring.apptests.fixtures.worker.WorkerApplication;
import io.github.nsqspring.boot.admin.NsqdStats.ChannelStats;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker applications as they are deployed (DESIGN decisions 4, 12 and 14, issue 12):
 * each scenario launches {@code @NsqListener} applications as JVMs of their own, sends
 * them signals, and asserts on nsqd's {@code /stats}. Run against the embedded nsqd
 * ({@link EmbeddedNsqdApplicationTests}) and real nsqd
 * ({@link RealNsqdApplicationTests}).
 *
 * @author nsq-spring
 */
abstract class WorkerApplicationContract {

	/** A JVM starting a Spring Boot application on a loaded machine. */
	static final Duration LAUNCH = Duration.ofSeconds(30);

	@RegisterExtension
	final AppLauncher launcher = new AppLauncher();

	@TempDir
	Path files;

	private NsqCluster cluster;

	NsqdProbe nsqd;

	/**
	 * Start the nsqd the scenario runs against.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	/**
	 * Which nsqd, for the measurements printed.
	 * @return a short name
	 */
	abstract String backend();

	@BeforeEach
	void startNsqd() {
		this.cluster = start(NsqClusterSpec.of(1, false));
		this.nsqd = new NsqdProbe(this.cluster);
	}

	@AfterEach
	void stopNsqd() throws Exception {
		// the applications first: they would only reconnect
		this.launcher.killAll();
		this.nsqd.close();
		this.cluster.close();
	}

	@Test
	void aListenerOnlyWorkerStaysUpAfterMainReturnsConsumesAndStopsOnSigterm() throws Exception {
		String topic = "worker_up";
		this.nsqd.createChannel(topic, "worker");
		LaunchedApp app = launchWorker(topic, "--nsq.listener.shutdown-timeout=10s");
		app.awaitLine(FixtureSupport.MAIN_RETURNED, Duration.ofSeconds(5));
		this.nsqd.publish(topic, 50);
		await().atMost(Duration.ofSeconds(20)).until(() -> NsqdProbe.finished(channel(topic)) == 50);
		// the worker of issue 12 exited by itself about 2 s after its start
		assertThat(app.awaitExit(Duration.ofSeconds(3))).as("exited on its own").isFalse();
		long signalled = System.nanoTime();
		app.sigterm();
		assertThat(app.awaitExit(Duration.ofSeconds(10))).as("ended within its shutdown timeout").isTrue();
		Duration stop = Duration.ofNanos(System.nanoTime() - signalled);
		// 128 + SIGTERM: the JVM ended on the signal, after its shutdown hooks
		assertThat(app.process().exitValue()).isEqualTo(143);
		assertThat(app.output()).contains("Stopping listener container 'work'")
			.contains("Listener container 'work' stopped")
			.contains("STOPPED work handled=50");
		ChannelStats stats = channel(topic);
		assertThat(stats.clientCount()).isZero();
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(50);
		System.out.printf("(a) [%s] worker up after main returned, 50 messages finished, SIGTERM to exit %d ms%n",
				backend(), stop.toMillis());
	}

	@Test
	void sigtermUnderLoadFinishesEveryDeliveredMessageAndRequeuesNone() throws Exception {
		String topic = "sigterm_load";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 20_000);
		LaunchedApp app = launchWorker(topic, "--nsq.consumer.max-in-flight=200", "--nsq.consumer.concurrency=4",
				"--app.handler-millis=1");
		// the window is full and most of it waits for a handler
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(20)).until(() -> {
			ChannelStats stats = channel(topic);
			return stats.inFlightCount() >= 150 && NsqdProbe.finished(stats) >= 1000;
		});
		long inFlightAtSignal = channel(topic).inFlightCount();
		long signalled = System.nanoTime();
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
		ChannelStats stats = channel(topic);
		StopSummary summary = StopSummary.of(app, topic, "worker");
		long handled = handled(app, "work");
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(stats.clientCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(handled);
		assertThat(stats.depth()).isEqualTo(20_000 - handled);
		assertThat(summary.requeued()).isZero();
		assertThat(summary.finished()).isGreaterThanOrEqualTo(inFlightAtSignal / 2);
		System.out.printf(
				"(b) [%s] SIGTERM under load (max-in-flight 200, 1 ms handler, concurrency 4): %d in flight at the "
						+ "signal; stop finished %d and requeued %d in %d ms; SIGTERM to exit %d ms; %d handled in "
						+ "all; nsqd requeue_count %d, timeout_count %d%n",
				backend(), inFlightAtSignal, summary.finished(), summary.requeued(), summary.millis(), exit.toMillis(),
				handled, stats.requeueCount(), stats.timeoutCount());
	}

	@Test
	void sigtermWithADeadlineShorterThanTheWorkRequeuesTheRestAtOnce() throws Exception {
		String topic = "sigterm_deadline";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 2000);
		LaunchedApp app = launchWorker(topic, "--nsq.consumer.max-in-flight=200", "--nsq.consumer.concurrency=4",
				"--app.handler-millis=50", "--nsq.listener.shutdown-timeout=1s");
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(20)).until(() -> channel(topic).inFlightCount() >= 150);
		long inFlightAtSignal = channel(topic).inFlightCount();
		long signalled = System.nanoTime();
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
		ChannelStats stats = channel(topic);
		StopSummary summary = StopSummary.of(app, topic, "worker");
		long handled = handled(app, "work");
		// four handlers at 50 ms finish about 80 in the second: the rest is requeued at
		// the deadline, at once, not left to time out
		assertThat(summary.requeued()).isPositive();
		assertThat(stats.requeueCount()).isEqualTo(summary.requeued());
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(stats.deferredCount()).isZero();
		// a handler still running at the deadline is interrupted and its outcome ignored,
		// its message requeued: one may have completed its work right then
		assertThat(handled).isBetween(NsqdProbe.finished(stats), NsqdProbe.finished(stats) + 4);
		assertThat(stats.depth()).isEqualTo(2000 - NsqdProbe.finished(stats));
		assertThat(summary.millis()).isBetween(1000L, 1000L + 5000L);
		System.out.printf(
				"(b) [%s] SIGTERM with shutdown-timeout 1s (max-in-flight 200, 50 ms handler, concurrency 4): %d in "
						+ "flight at the signal; stop finished %d and requeued %d in %d ms; SIGTERM to exit %d ms; "
						+ "nsqd requeue_count %d, timeout_count %d, depth %d%n",
				backend(), inFlightAtSignal, summary.finished(), summary.requeued(), summary.millis(), exit.toMillis(),
				stats.requeueCount(), stats.timeoutCount(), stats.depth());
	}

	@Test
	void aManualAckListenerIsDrainedOnSigtermToo() throws Exception {
		String topic = "sigterm_manual";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 2000);
		List<String> args = new ArrayList<>(this.nsqd.applicationArguments());
		args.addAll(List.of("--app.topic=" + topic, "--nsq.consumer.max-in-flight=100", "--app.handler-millis=20"));
		LaunchedApp app = this.launcher.launch("manual-ack", ManualAckApplication.class, args);
		app.awaitLine(FixtureSupport.READY, LAUNCH);
		// the listener returns at once: messages wait in flight for the application's
		// threads to finish them
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(20)).until(() -> {
			ChannelStats stats = channel(topic);
			return stats.inFlightCount() >= 80 && NsqdProbe.finished(stats) >= 100;
		});
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		ChannelStats stats = channel(topic);
		StopSummary summary = StopSummary.of(app, topic, "worker");
		assertThat(summary.requeued()).isZero();
		assertThat(summary.finished()).isPositive();
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(handled(app, "hand-off"));
	}

	@Test
	void everyMessageOfAConsumerKilledWithSigkillIsHandledOnceAnotherStarts() throws Exception {
		String topic = "sigkill";
		this.nsqd.createChannel(topic, "worker");
		List<String> published = this.nsqd.publish(topic, 300);
		Path first = this.files.resolve("first.txt");
		Path second = this.files.resolve("second.txt");
		// a short msg_timeout: what the killed consumer held comes back within seconds
		LaunchedApp killed = launchWorker(topic, "--nsq.consumer.max-in-flight=20", "--nsq.consumer.concurrency=2",
				"--nsq.consumer.msg-timeout=3s", "--app.handler-millis=20", "--app.handled-file=" + first);
		await().atMost(LAUNCH).until(() -> lines(first).size() >= 40 && channel(topic).inFlightCount() > 0);
		killed.sigkill();
		assertThat(killed.awaitExit(Duration.ofSeconds(10))).isTrue();
		long inFlightAtKill = channel(topic).inFlightCount();
		launchWorker(topic, "--nsq.consumer.max-in-flight=20", "--nsq.consumer.msg-timeout=3s",
				"--app.handled-file=" + second);
		await().atMost(LAUNCH).until(() -> {
			ChannelStats stats = channel(topic);
			return NsqdProbe.finished(stats) == published.size() && stats.depth() == 0 && stats.inFlightCount() == 0;
		});
		Set<String> handled = new HashSet<>(lines(first));
		handled.addAll(lines(second));
		assertThat(handled).containsAll(published);
		ChannelStats stats = channel(topic);
		// the killed consumer's messages were not answered: nsqd gave them to the second
		// one after their msg_timeout
		assertThat(stats.timeoutCount()).isPositive().isLessThanOrEqualTo(inFlightAtKill);
		long twice = lines(first).size() + lines(second).size() - handled.size();
		System.out.printf(
				"(c) [%s] SIGKILL: %d in flight at the kill, %d timed out on nsqd and were handled by the "
						+ "second consumer; %d of %d handled twice%n",
				backend(), inFlightAtKill, stats.timeoutCount(), twice, published.size());
	}

	@Test
	void aWorkerRidesOutAnNsqdRestartAndEveryMessageIsHandled() throws Exception {
		String topic = "nsqd_restart";
		this.nsqd.createChannel(topic, "worker");
		List<String> published = this.nsqd.publish(topic, 300);
		Path handled = this.files.resolve("handled.txt");
		LaunchedApp app = launchWorker(topic, "--nsq.consumer.max-in-flight=20", "--app.handler-millis=10",
				"--app.handled-file=" + handled);
		await().atMost(LAUNCH).until(() -> lines(handled).size() >= 50);
		this.cluster.stopNode(0);
		// it stays up and keeps trying while nsqd is down
		app.awaitLine("could not connect to nsqd " + this.cluster.nsqdTcpAddress(0), Duration.ofSeconds(20));
		assertThat(app.process().isAlive()).isTrue();
		this.cluster.startNode(0);
		await().atMost(LAUNCH).until(() -> new HashSet<>(lines(handled)).containsAll(published));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			ChannelStats stats = channel(topic);
			return stats.depth() == 0 && stats.inFlightCount() == 0 && stats.clientCount() == 1;
		});
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		long twice = lines(handled).size() - new HashSet<>(lines(handled)).size();
		System.out.printf("(restart) [%s] nsqd stopped and started under a worker: all %d handled, %d of them twice "
				+ "(in flight when nsqd went down)%n", backend(), published.size(), twice);
	}

	/**
	 * Launch the worker application and wait until it is ready.
	 */
	LaunchedApp launchWorker(String topic, String... args) throws Exception {
		List<String> all = new ArrayList<>(this.nsqd.applicationArguments());
		all.add("--app.topic=" + topic);
		all.addAll(List.of(args));
		LaunchedApp app = this.launcher.launch("worker", WorkerApplication.class, all);
		app.awaitLine(FixtureSupport.READY, LAUNCH);
		return app;
	}

	ChannelStats channel(String topic) {
		return this.nsqd.channel(topic, "worker");
	}

	/**
	 * How many messages a listener handled, as the application printed when its container
	 * stopped.
	 */
	static long handled(LaunchedApp app, String listenerId) {
		String line = app.line("STOPPED " + listenerId + " handled=");
		return Long.parseLong(line.substring(line.indexOf("handled=") + "handled=".length()).trim());
	}

	static List<String> lines(Path file) throws Exception {
		return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
	}

}
