package io.github.nsqspring.test.integration.consumer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer in a JVM of its own ({@link ConsumerApp}), against the embedded nsqd of
 * this JVM: what a user sees when deploying a worker service (DESIGN decisions 4 and 12,
 * issue 12).
 */
class ConsumerProcessTests {

	private static final Duration LAUNCH = Duration.ofSeconds(60);

	private NsqCluster cluster;

	private final List<App> apps = new ArrayList<>();

	@BeforeEach
	void startNsqd() {
		this.cluster = EmbeddedNsqCluster.start(1, false);
	}

	@AfterEach
	void stopAll() {
		for (App app : this.apps) {
			app.process.destroyForcibly();
		}
		this.cluster.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "own", "daemon", "virtual" })
	void aStartedConsumerKeepsItsJvmAliveAfterMainReturnsUntilItIsStopped(String executor) throws Exception {
		Assumptions.assumeTrue(!executor.equals("virtual") || Runtime.version().feature() >= 21,
				"virtual threads need Java 21");
		String topic = "keepalive_" + executor;
		NsqdHttp.publish(this.cluster, topic, 0);
		App app = launch(classpath(), topic, 20, 1, executor, "");
		app.awaitLine("MAIN RETURNED");
		// such a service used to exit by itself about 2 s after its start
		assertThat(app.awaitExit(Duration.ofSeconds(3))).as(app.output()).isFalse();
		NsqdHttp.publish(this.cluster, topic, 20);
		// the handler stops the consumer after the 20th message: the JVM ends by itself
		assertThat(app.awaitExit(LAUNCH)).as(app.output()).isTrue();
		assertThat(app.process.exitValue()).as(app.output()).isZero();
		assertThat(app.lines).contains("HANDLED 20", "STOPPED 20 0");
		NsqdStats nsqd = settled(app, topic);
		assertThat(nsqd.finished()).isEqualTo(20);
		assertThat(nsqd.requeueCount()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
	}

	@Test
	void sigtermStopsItGracefullyFinishingWhatWasDeliveredInsteadOfRequeueingIt() throws Exception {
		String topic = "sigterm";
		NsqdHttp.publish(this.cluster, topic, 5000);
		App app = launch(classpath(), topic, 0, 2, "own", "hook");
		app.awaitLine("MAIN RETURNED");
		// max-in-flight 200 and slow handlers: most of the window waits for a handler
		await().atMost(LAUNCH).until(() -> NsqdStats.of(this.cluster, 0, topic, "ch").inFlight() >= 150);
		// SIGTERM, as a container stop sends it (Process.destroy() would also close the
		// pipe the application prints its summary to)
		assertThat(app.process.toHandle().destroy()).isTrue();
		assertThat(app.awaitExit(LAUNCH)).as(app.output()).isTrue();
		String stopped = app.lines.stream()
			.filter((line) -> line.startsWith("STOPPED "))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no STOPPED line in\n" + app.output()));
		long finished = Long.parseLong(stopped.split(" ")[1]);
		assertThat(stopped).endsWith(" 0");
		NsqdStats nsqd = settled(app, topic);
		assertThat(nsqd.requeueCount()).isZero();
		assertThat(nsqd.timeoutCount()).isZero();
		assertThat(nsqd.inFlight()).isZero();
		assertThat(nsqd.finished()).isEqualTo(finished).isGreaterThanOrEqualTo(150);
		assertThat(app.output()).contains("finished and 0 requeued during the stop");
	}

	@Test
	void snappyWithoutSnappyJavaFailsTheStartNamingTheDependencyAndLeavesNothingRunning() throws Exception {
		List<String> classpath = classpath().stream()
			.filter((entry) -> !Path.of(entry).getFileName().toString().startsWith("snappy-java"))
			.toList();
		assertThat(classpath).hasSizeLessThan(classpath().size());
		App app = launch(classpath, "snappy", 0, 0, "own", "snappy");
		// main returned after the failure and nothing keeps the JVM alive
		assertThat(app.awaitExit(LAUNCH)).as(app.output()).isTrue();
		assertThat(app.process.exitValue()).as(app.output()).isZero();
		assertThat(app.output()).contains("START FAILED NsqConfigException")
			.contains("org.xerial.snappy:snappy-java:1.1.10.7");
	}

	/**
	 * nsqd's counters once it shows nothing in flight; when that never comes, the failure
	 * carries what the application printed.
	 */
	private NsqdStats settled(App app, String topic) {
		try {
			return NsqdStats.settled(this.cluster, 0, topic, "ch");
		}
		catch (AssertionError ex) {
			throw new AssertionError(ex.getMessage() + "\napplication output:\n" + app.output(), ex);
		}
	}

	private App launch(List<String> classpath, String topic, int stopAfter, int handlerMillis, String executor,
			String options) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-cp", String.join(File.pathSeparator, classpath),
				ConsumerApp.class.getName(), this.cluster.nsqdTcpAddress(0), topic, Integer.toString(stopAfter),
				Integer.toString(handlerMillis), executor, options)
			.redirectErrorStream(true);
		App app = new App(builder.start());
		this.apps.add(app);
		return app;
	}

	private static List<String> classpath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank())
			.collect(Collectors.toList());
	}

	/**
	 * A launched JVM and the lines it printed (standard output and error).
	 */
	private static final class App {

		final Process process;

		final List<String> lines = new CopyOnWriteArrayList<>();

		private volatile boolean ended;

		App(Process process) {
			this.process = process;
			Thread reader = new Thread(this::read, "consumer-app-output");
			reader.setDaemon(true);
			reader.start();
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process ended
			}
			finally {
				this.ended = true;
			}
		}

		/**
		 * Wait for the JVM to end and its output to be read.
		 * @return {@code false} when it is still running after the wait
		 */
		boolean awaitExit(Duration wait) throws InterruptedException {
			if (!this.process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
				return false;
			}
			await().atMost(LAUNCH).until(() -> this.ended);
			return true;
		}

		void awaitLine(String line) {
			await().atMost(LAUNCH)
				.failFast("the application ended without printing " + line,
						() -> this.ended && !this.lines.contains(line))
				.until(() -> this.lines.contains(line));
		}

		String output() {
			return String.join("\n", this.lines);
		}

	}

}
