package io.github.nsqspring.apptests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.github.nsqspring.apptests.fixtures.FixtureSupport;
import io.github.nsqspring.apptests.fixtures.manualack.ManualAckApplication;
import io.github.nsqspring.apptests.fixtures.worker.WorkerApplication;
import io.github.nsqspring.boot.admin.NsqdStats.ChannelStats;
import org.junit.jupiter.api.Test;

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
abstract class WorkerApplicationContract extends ApplicationTestSupport {

	/**
	 * Which nsqd, for the measurements printed.
	 * @return a short name
	 */
	abstract String backend();

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
		ChannelStats stats = channelWithoutClients(topic);
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(50);
		System.out.printf("(a) [%s] worker up after main returned, 50 messages finished, SIGTERM to exit %d ms%n",
				backend(), stop.toMillis());
	}

	@Test
	void sigtermUnderLoadFinishesEveryDeliveredMessageAndRequeuesNone() throws Exception {
		String topic = "sigterm_load";
		// a listener failure requeues at DEBUG: logged, so that a REQ on nsqd can be
		// traced
		Stopped stopped = sigtermWithAFullWindow(topic, 20_000, (stats) -> NsqdProbe.finished(stats) >= 1000,
				"--app.handler-millis=1",
				"--logging.level.io.github.nsqspring.boot.listener.DefaultNsqErrorHandler=DEBUG");
		ChannelStats stats = stopped.stats();
		long handled = handled(stopped.app(), "work");
		assertThat(stats.requeueCount()).as("nsqd's requeue_count; %s; %d handled", stopped, handled).isZero();
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(NsqdProbe.finished(stats)).isEqualTo(handled);
		assertThat(stats.depth()).isEqualTo(20_000 - handled);
		assertThat(stopped.summary().requeued()).isZero();
		assertThat(stopped.summary().finished()).isGreaterThanOrEqualTo(stopped.inFlightAtSignal() / 2);
		System.out.printf("(b) [%s] SIGTERM under load (max-in-flight 200, 1 ms handler, concurrency 4): %s; %d "
				+ "handled in all%n", backend(), stopped, handled);
	}

	@Test
	void sigtermWithADeadlineShorterThanTheWorkRequeuesTheRestAtOnce() throws Exception {
		String topic = "sigterm_deadline";
		Stopped stopped = sigtermWithAFullWindow(topic, 2000, (stats) -> true, "--app.handler-millis=50",
				"--nsq.listener.shutdown-timeout=1s");
		ChannelStats stats = stopped.stats();
		StopSummary summary = stopped.summary();
		// four handlers at 50 ms finish about 80 in the second: the rest is requeued at
		// the deadline, at once, not left to time out
		assertThat(summary.requeued()).isPositive();
		assertThat(stats.requeueCount()).isEqualTo(summary.requeued());
		assertThat(stats.timeoutCount()).isZero();
		assertThat(stats.inFlightCount()).isZero();
		assertThat(stats.deferredCount()).isZero();
		// a handler still running at the deadline is interrupted and its outcome ignored,
		// its message requeued: one may have completed its work right then
		assertThat(handled(stopped.app(), "work")).isBetween(NsqdProbe.finished(stats), NsqdProbe.finished(stats) + 4);
		assertThat(stats.depth()).isEqualTo(2000 - NsqdProbe.finished(stats));
		assertThat(summary.millis()).isBetween(1000L, 1000L + 5000L);
		System.out.printf("(b) [%s] SIGTERM with shutdown-timeout 1s (max-in-flight 200, 50 ms handler, "
				+ "concurrency 4): %s; depth %d%n", backend(), stopped, stats.depth());
	}

	@Test
	void aManualAckListenerIsDrainedOnSigtermToo() throws Exception {
		String topic = "sigterm_manual";
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, 2000);
		LaunchedApp app = launchReady("manual-ack", ManualAckApplication.class, "--app.topic=" + topic,
				"--nsq.consumer.max-in-flight=100", "--app.handler-millis=20");
		// the listener returns at once: messages wait in flight for the application's
		// threads to finish them
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(20)).until(() -> {
			ChannelStats stats = channel(topic);
			return stats.inFlightCount() >= 80 && NsqdProbe.finished(stats) >= 100;
		});
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		ChannelStats stats = channelWithoutClients(topic);
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
		assertThat(stats.timeoutCount()).isPositive();
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
	 * Publish, start a worker with max-in-flight 200 and concurrency 4, send it SIGTERM
	 * once nsqd counts at least 150 of its messages in flight (and {@code ready} holds),
	 * and wait for its JVM to end.
	 */
	private Stopped sigtermWithAFullWindow(String topic, int count, Predicate<ChannelStats> ready, String... args)
			throws Exception {
		this.nsqd.createChannel(topic, "worker");
		this.nsqd.publish(topic, count);
		String[] all = new String[args.length + 2];
		all[0] = "--nsq.consumer.max-in-flight=200";
		all[1] = "--nsq.consumer.concurrency=4";
		System.arraycopy(args, 0, all, 2, args.length);
		LaunchedApp app = launchWorker(topic, all);
		await().atMost(LAUNCH).pollInterval(Duration.ofMillis(20)).until(() -> {
			ChannelStats stats = channel(topic);
			return stats.inFlightCount() >= 150 && ready.test(stats);
		});
		long inFlightAtSignal = channel(topic).inFlightCount();
		long signalled = System.nanoTime();
		app.sigterm();
		assertThat(app.awaitExit(LAUNCH)).isTrue();
		Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
		return new Stopped(app, inFlightAtSignal, exit, channelWithoutClients(topic),
				StopSummary.of(app, topic, "worker"));
	}

	/**
	 * Launch the worker application and wait until it is ready.
	 */
	LaunchedApp launchWorker(String topic, String... args) throws Exception {
		String[] all = new String[args.length + 1];
		all[0] = "--app.topic=" + topic;
		System.arraycopy(args, 0, all, 1, args.length);
		return launchReady("worker", WorkerApplication.class, all);
	}

	ChannelStats channel(String topic) {
		return this.nsqd.channel(topic, "worker");
	}

	ChannelStats channelWithoutClients(String topic) {
		return this.nsqd.channelWithoutClients(topic, "worker");
	}

	/**
	 * A worker stopped with SIGTERM, and what it and nsqd said about it.
	 */
	record Stopped(LaunchedApp app, long inFlightAtSignal, Duration exit, ChannelStats stats, StopSummary summary) {

		@Override
		public String toString() {
			return this.inFlightAtSignal + " in flight at the signal; the stop finished " + this.summary.finished()
					+ " and requeued " + this.summary.requeued() + " in " + this.summary.millis()
					+ " ms; SIGTERM to exit " + this.exit.toMillis() + " ms; nsqd requeue_count "
					+ this.stats.requeueCount() + ", timeout_count " + this.stats.timeoutCount();
		}

	}

}
