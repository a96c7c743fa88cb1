package io.github.nsqspring.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.client.BareSocketClient;
import io.github.nsqspring.benchmarks.client.BenchClient;
import io.github.nsqspring.benchmarks.client.NsqJClient;
import io.github.nsqspring.benchmarks.client.NsqSpringClient;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.nsqd.EmbeddedNsqd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness against the embedded nsqd: clients that lose or duplicate messages must
 * produce a FAILED result, however fast they were.
 */
class BenchmarkRunnerTests {

	private static EmbeddedNsqd nsqd;

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private final PrintStream out = new PrintStream(this.output, true, StandardCharsets.UTF_8);

	@BeforeAll
	static void startNsqd() {
		nsqd = EmbeddedNsqd.start(NsqdOptions.DEFAULTS);
	}

	@AfterAll
	static void stopNsqd() {
		nsqd.close();
	}

	@Test
	void correctPublishRunPasses() {
		RunResult result = run(new NsqJClient(), "pub-sync", "--messages", "300", "--threads", "2");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.messages()).isEqualTo(300);
		assertThat(result.p50Micros()).isPresent();
		assertThat(this.output.toString()).contains("message_count=300");
	}

	@Test
	void publisherThatLosesAMessageFails() {
		BenchClient lossy = new PublishFault(new NsqJClient(), 0);
		RunResult result = run(lossy, "pub-sync", "--messages", "200", "--warmup", "0");
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).contains("FAILED lost 1 messages: nsqd counts 199");
		assertThat(result.exitCode()).isEqualTo(1);
	}

	@Test
	void publisherThatDuplicatesAMessageFails() {
		BenchClient duplicating = new PublishFault(new NsqJClient(), 2);
		RunResult result = run(duplicating, "mpub", "--messages", "1000", "--batch", "100", "--warmup", "0");
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).contains("FAILED duplicated 100 messages: nsqd counts 1100");
	}

	@Test
	void correctConsumeRunPassesAndLeavesNothingOnNsqd() {
		RunResult result = run(new NsqJClient(), "consume", "--messages", "2000", "--threads", "2");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		// throughput is timed over the steady state: the middle 80% of the messages
		assertThat(result.messages()).isEqualTo(1600);
		assertThat(this.output.toString()).contains("steady state: 1,600 messages (10%..90%)").contains("whole run");
		assertThat(this.output.toString()).contains("2,000 distinct, 0 duplicates").contains("depth=0 in_flight=0");
	}

	@Test
	void consumeRunWarmsUpOnItsOwnTopicInTwoRoundsFirst() throws Exception {
		RunResult result = run(new NsqJClient(), "consume", "--messages", "1000", "--warmup", "600");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(this.output.toString()).contains("warm-up: consuming 600 messages through bench_consume_")
			.contains("_warmup in two rounds")
			.contains("pre-filled 300 messages")
			.contains("pre-filled 1,000 messages")
			.contains("1,000 distinct, 0 duplicates");
		assertThat(result.toLine()).contains(" jit_ms=");
	}

	@Test
	void aWarmUpThatLosesAMessageFailsTheRunSayingSo() {
		BenchClient dropping = new SubscribeFault(new NsqJClient(), 0);
		RunResult result = run(dropping, "consume", "--messages", "500", "--warmup", "100");
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).contains("warm-up: 49 of 50 messages consumed within 3s");
	}

	@Test
	void consumerThatNeverHandlesAMessageFails() {
		BenchClient dropping = new SubscribeFault(new NsqJClient(), 0);
		RunResult result = run(dropping, "consume", "--messages", "500", "--warmup", "0");
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).contains("timed out waiting for messages")
			.contains("lost 1 messages: handlers saw 499 distinct of 500");
	}

	@Test
	void duplicateDeliveriesAreReportedNotFailed() {
		BenchClient twice = new SubscribeFault(new NsqJClient(), 2);
		RunResult result = run(twice, "consume", "--messages", "500");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(this.output.toString()).contains("500 distinct, 500 duplicates")
			.contains("WARNING: 500 duplicate deliveries");
	}

	@Test
	void latencyRunReportsPercentiles() {
		RunResult result = run(new NsqJClient(), "latency", "--messages", "200", "--rate", "2000",
				"--output-buffer-size", "-1");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.messages()).isEqualTo(200);
		assertThat(result.p50Micros()).isPresent();
		assertThat(result.p99Micros().getAsLong()).isGreaterThanOrEqualTo(result.p50Micros().getAsLong());
		assertThat(this.output.toString()).contains("latency publish → handler over 200 messages");
	}

	@Test
	void unsupportedScenarioIsMarkedNotRun() {
		RunResult result = run(new NsqJClient(), "pub-async", "--messages", "10");
		assertThat(result.status()).isEqualTo(RunResult.Status.UNSUPPORTED);
		assertThat(result.toLine()).startsWith("RESULT client=nsq-j scenario=pub-async unsupported ");
	}

	@Test
	void mainStartsTheEmbeddedNsqdWithoutAnAddressAndPrintsTheResultLast() {
		int code = BenchmarkMain.run(this.out, "mpub", "--client", "nsq-j", "--messages", "400", "--batch", "50");
		String[] lines = this.output.toString().split("\n");
		assertThat(code).as(this.output.toString()).isZero();
		assertThat(this.output.toString()).contains("started the embedded nsqd of nsq-test");
		assertThat(lines[lines.length - 1])
			.matches("RESULT client=nsq-j scenario=mpub messages=400 seconds=\\d+\\.\\d{3} msg_per_s=\\d+ "
					+ "cpu_us_per_msg=\\d+\\.\\d{2} alloc_bytes_per_msg=\\d+ jit_ms=\\d+ rss_mb=\\d+");
	}

	@Test
	void springConsumeRunThroughNsqListenerPasses() {
		RunResult result = run(new NsqSpringClient(), new SpringLayerSupport(), "spring-consume", "--messages", "1000",
				"--threads", "2", "--max-in-flight", "100");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.toLine()).startsWith("RESULT client=nsq-spring scenario=spring-consume messages=800 ");
		assertThat(this.output.toString()).contains("1,000 distinct, 0 duplicates").contains("depth=0 in_flight=0");
	}

	@Test
	void asyncPublishRunPassesWithAtMostOutstandingUnanswered() {
		RunResult result = run(new NsqSpringClient(), "pub-async", "--messages", "5000", "--outstanding", "50");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(this.output.toString()).contains("message_count=5000");
		assertThat(result.usage().allocBytesPerMessage()).isPresent();
	}

	@Test
	void pubWireOnABareSocketPublishesEveryMessageOnce() {
		RunResult result = run(new BareSocketClient(), "pub-wire", "--client", "bare-socket", "--messages", "5000",
				"--outstanding", "8");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.toLine()).startsWith("RESULT client=bare-socket scenario=pub-wire messages=5000 ");
		assertThat(this.output.toString()).contains("message_count=5000");
	}

	@Test
	void pubWireRunsOnTheBareSocketOnlyAndTheBareSocketRunsNothingElse() {
		assertThat(run(new NsqSpringClient(), "pub-wire", "--messages", "10").toLine())
			.isEqualTo("RESULT client=nsq-spring scenario=pub-wire unsupported pub-wire uses no client library: "
					+ "run it with --client bare-socket");
		assertThat(run(new BareSocketClient(), "mpub", "--client", "bare-socket", "--messages", "10").toLine())
			.isEqualTo("RESULT client=bare-socket scenario=mpub unsupported bare-socket is no client: "
					+ "it runs pub-wire and pub-sync only");
	}

	@Test
	void pubSyncOnABareSocketPublishesEveryMessageOnceFromParkedCallers() {
		RunResult result = run(new BareSocketClient(), "pub-sync", "--client", "bare-socket", "--messages", "4000",
				"--threads", "4");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.toLine()).startsWith("RESULT client=bare-socket scenario=pub-sync messages=4000 ");
		assertThat(this.output.toString()).contains("message_count=4000");
	}

	@Test
	void templateSendThroughTheSpringLayerReportsCpuAndAllocationPerMessage() {
		RunResult result = run(new NsqSpringClient(), new SpringLayerSupport(), "template-send", "--messages", "500",
				"--threads", "4");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(this.output.toString()).contains("message_count=500");
		assertThat(result.toLine()).matches("RESULT client=nsq-spring scenario=template-send messages=500 "
				+ "seconds=\\d+\\.\\d{3} msg_per_s=\\d+ p50_us=\\d+ p99_us=\\d+ cpu_us_per_msg=\\d+\\.\\d{2} "
				+ "alloc_bytes_per_msg=\\d+ jit_ms=\\d+ rss_mb=\\d+");
	}

	@Test
	void templateSendAsyncThroughTheSpringLayerPasses() {
		RunResult result = run(new NsqSpringClient(), new SpringLayerSupport(), "template-send-async", "--messages",
				"3000", "--outstanding", "100");
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(this.output.toString()).contains("message_count=3000");
	}

	@Test
	void springLayerScenariosAreNsqSpringOnly() {
		BenchClient nsqj = new NsqJClient();
		BenchmarkOptions options = BenchmarkOptions.parse("template-send", "--client", "nsq-j", "--nsqd",
				nsqd.tcpAddress());
		RunResult result = new BenchmarkRunner(this.out, (kind) -> nsqj, new SpringLayerSupport()).run(options,
				nsqd.tcpAddress(), nsqd.httpAddress());
		assertThat(result.toLine())
			.isEqualTo("RESULT client=nsq-j scenario=template-send unsupported template-send measures nsq-spring's "
					+ "Spring layer only");
	}

	@Test
	void aMissingNsqdProcessFailsTheRunNamingIt() {
		RunResult result = run(new NsqJClient(), "pub-sync", "--messages", "10", "--nsqd-pid",
				Integer.toString(Integer.MAX_VALUE));
		assertThat(result.status()).isEqualTo(RunResult.Status.FAILED);
		assertThat(result.toLine()).contains("cannot read the CPU time of process " + Integer.MAX_VALUE);
	}

	@Test
	void nsqdCpuIsReportedForAGivenProcess() {
		// the embedded nsqd runs in this JVM: its process stands in for nsqd's
		RunResult result = run(new NsqJClient(), "pub-sync", "--messages", "300", "--nsqd-pid",
				Long.toString(ProcessHandle.current().pid()));
		assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
		assertThat(result.usage().nsqdCpuMicrosPerMessage()).isPresent();
		assertThat(result.toLine()).contains(" nsqd_cpu_us_per_msg=");
	}

	@Test
	void theTimedWindowStartsAfterTheWarmUpTopicIsGone() throws Exception {
		String topic = "bench_settle_" + Long.toString(System.nanoTime(), 36);
		NsqdHttp http = new NsqdHttp(nsqd.httpAddress());
		try {
			RunResult result = run(new NsqJClient(), "pub-sync", "--messages", "300", "--warmup", "200", "--topic",
					topic);
			assertThat(result.status()).as(this.output.toString()).isEqualTo(RunResult.Status.OK);
			// a given topic is kept after the run; the warm-up's went before the window
			assertThat(http.stats(topic).messageCount()).isEqualTo(300);
			assertThat(http.stats(topic + "_warmup").exists()).isFalse();
			// the embedded nsqd has no /debug/freememory: the run says so and goes on
			assertThat(this.output.toString()).contains("nsqd kept its free memory");
		}
		finally {
			http.deleteTopic(topic);
		}
	}

	@Test
	void mainRejectsABadCommandLine() {
		assertThat(BenchmarkMain.run(this.out, "mpub", "--threads", "0")).isEqualTo(2);
		assertThat(this.output.toString()).contains("--threads must be at least 1").contains("usage:");
	}

	private RunResult run(BenchClient client, String... args) {
		return run(client, null, args);
	}

	private RunResult run(BenchClient client, BenchmarkRunner.SpringLayer springLayer, String... args) {
		List<String> all = new java.util.ArrayList<>(List.of(args));
		all.addAll(List.of("--nsqd", nsqd.tcpAddress(), "--nsqd-http", nsqd.httpAddress()));
		BenchmarkOptions options = BenchmarkOptions.parse(all.toArray(String[]::new));
		BenchmarkRunner runner = new BenchmarkRunner(this.out, (kind) -> client, springLayer)
			.consumeTimeoutSeconds((springLayer != null) ? 60 : 3)
			.jitWait(Duration.ZERO);
		RunResult result = runner.run(options, nsqd.tcpAddress(), nsqd.httpAddress());
		this.out.println(result.toLine());
		return result;
	}

	/**
	 * Publishes the message with sequence number 5 (or the MPUB holding it) never (copies
	 * 0) or twice (copies 2), and reports success.
	 */
	private record PublishFault(BenchClient delegate, int copies) implements BenchClient {

		@Override
		public String name() {
			return "faulty";
		}

		@Override
		public Optional<String> unsupported(Scenario scenario) {
			return this.delegate.unsupported(scenario);
		}

		@Override
		public Publisher publisher(String nsqdAddress) throws Exception {
			Publisher real = this.delegate.publisher(nsqdAddress);
			return new Publisher() {

				@Override
				public void publish(String topic, byte[] body) throws Exception {
					int times = (BodyCodec.sequence(body) == 5) ? PublishFault.this.copies : 1;
					for (int i = 0; i < times; i++) {
						real.publish(topic, body);
					}
				}

				@Override
				public void multiPublish(String topic, List<byte[]> bodies) throws Exception {
					boolean hit = bodies.stream().anyMatch((body) -> BodyCodec.sequence(body) == 5);
					int times = hit ? PublishFault.this.copies : 1;
					for (int i = 0; i < times; i++) {
						real.multiPublish(topic, bodies);
					}
				}

				@Override
				public void close() throws Exception {
					real.close();
				}

			};
		}

		@Override
		public Subscription subscribe(SubscribeSpec spec, MessageSink sink) throws Exception {
			return this.delegate.subscribe(spec, sink);
		}

	}

	/**
	 * Hands the message with sequence number 5 to the harness never (copies 0) or every
	 * message twice (copies 2); nsqd sees every message finished either way.
	 */
	private record SubscribeFault(BenchClient delegate, int copies) implements BenchClient {

		@Override
		public String name() {
			return "faulty";
		}

		@Override
		public Optional<String> unsupported(Scenario scenario) {
			return this.delegate.unsupported(scenario);
		}

		@Override
		public Publisher publisher(String nsqdAddress) throws Exception {
			return this.delegate.publisher(nsqdAddress);
		}

		@Override
		public Subscription subscribe(SubscribeSpec spec, MessageSink sink) throws Exception {
			return this.delegate.subscribe(spec, (body) -> {
				if (this.copies == 0) {
					if (BodyCodec.sequence(body) != 5) {
						sink.accept(body);
					}
					return;
				}
				for (int i = 0; i < this.copies; i++) {
					sink.accept(body);
				}
			});
		}

	}

}
