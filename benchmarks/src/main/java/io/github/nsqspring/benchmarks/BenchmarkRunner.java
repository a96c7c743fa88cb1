package io.github.nsqspring.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.nsqspring.benchmarks.client.BenchClient;
import io.github.nsqspring.benchmarks.client.BenchClient.Publisher;
import io.github.nsqspring.benchmarks.client.BenchClient.SubscribeSpec;
import io.github.nsqspring.benchmarks.client.BenchClient.Subscription;
import io.github.nsqspring.benchmarks.support.Callers;
import io.github.nsqspring.benchmarks.support.JitCompiler;
import io.github.nsqspring.benchmarks.support.ProcessMemory;
import io.github.nsqspring.benchmarks.support.Progress;
import io.github.nsqspring.benchmarks.support.ResourceMeter;

/**
 * Runs one scenario for one client against one nsqd and checks the counts on nsqd
 * afterwards. Prints progress as it goes; the caller prints the {@link RunResult}.
 */
public final class BenchmarkRunner {

	private static final int PREFILL_BATCH = 1000;

	private static final long JIT_WAIT_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final PrintStream out;

	private final Function<ClientKind, BenchClient> clients;

	private final SpringLayer springLayer;

	private final JitCompiler jit = JitCompiler.ofThisJvm();

	private long consumeTimeoutSeconds = -1;

	private long jitWaitMaxNanos = JIT_WAIT_MAX_NANOS;

	/**
	 * Create a runner.
	 * @param out where progress goes
	 * @param clients the client for each kind
	 * @param springLayer the scenarios through the Spring layer, {@code null} when not
	 * available
	 */
	public BenchmarkRunner(PrintStream out, Function<ClientKind, BenchClient> clients, SpringLayer springLayer) {
		this.out = out;
		this.clients = clients;
		this.springLayer = springLayer;
	}

	/**
	 * Limit how long a run waits, after its warm-up, for the JIT to finish the
	 * compilations the warm-up set off (default 30s).
	 * @param maxWait the limit
	 * @return this runner
	 */
	BenchmarkRunner jitWait(Duration maxWait) {
		this.jitWaitMaxNanos = maxWait.toNanos();
		return this;
	}

	/**
	 * Limit how long a consume or latency run waits for its messages (default: 120s plus
	 * 1s per 10,000 messages).
	 * @param seconds the limit
	 * @return this runner
	 */
	BenchmarkRunner consumeTimeoutSeconds(long seconds) {
		this.consumeTimeoutSeconds = seconds;
		return this;
	}

	/**
	 * Run a scenario against a running nsqd.
	 * @param options the options
	 * @param nsqdTcp nsqd TCP address
	 * @param nsqdHttp nsqd HTTP address
	 * @return the result
	 */
	public RunResult run(BenchmarkOptions options, String nsqdTcp, String nsqdHttp) {
		BenchClient client = this.clients.apply(options.client());
		String clientName = client.name();
		String scenarioName = options.scenario().cliName();
		Optional<String> unsupported = client.unsupported(options.scenario());
		if (unsupported.isPresent()) {
			return RunResult.unsupported(clientName, scenarioName, unsupported.get());
		}
		if (options.scenario() == Scenario.PUB_WIRE && options.client() != ClientKind.BARE_SOCKET) {
			return RunResult.unsupported(clientName, scenarioName,
					"pub-wire uses no client library: run it with --client " + ClientKind.BARE_SOCKET.cliName());
		}
		if (options.scenario() == Scenario.PUB_WIRE && options.virtualThreads()) {
			return RunResult.unsupported(clientName, scenarioName,
					"pub-wire publishes from one platform thread: --virtual-threads does not apply");
		}
		if (options.scenario().isSpringLayer() && options.client() != ClientKind.NSQ_SPRING) {
			return RunResult.unsupported(clientName, scenarioName,
					scenarioName + " measures nsq-spring's Spring layer only");
		}
		if (options.scenario().isSpringLayer() && this.springLayer == null) {
			return RunResult.unsupported(clientName, scenarioName,
					"not available: the Spring layer is not in this run");
		}
		if (options.virtualThreads() && !options.scenario().isPublish() && options.client() != ClientKind.NSQ_SPRING) {
			return RunResult.unsupported(clientName, scenarioName,
					"--virtual-threads for consumers: only nsq-spring's handlers can run on virtual threads here");
		}
		ResourceMeter meter;
		try {
			meter = ResourceMeter
				.create((options.nsqdPid() != null) ? OptionalLong.of(options.nsqdPid()) : OptionalLong.empty());
		}
		catch (IllegalArgumentException ex) {
			return RunResult.failed(clientName, scenarioName, List.of(ex.getMessage()));
		}
		NsqdHttp http = new NsqdHttp(nsqdHttp);
		String topic = (options.topic() != null) ? options.topic() : freshTopic(options);
		Run run = new Run(options, client, nsqdTcp, http, topic, meter);
		this.out.printf(Locale.ROOT, "%s / %s: %,d messages of %d bytes, topic %s, nsqd %s (http %s)%s%n", clientName,
				scenarioName, options.messages(), options.size(), topic, nsqdTcp, nsqdHttp,
				options.virtualThreads() ? ", callers on virtual threads" : "");
		this.out.println("  allocation measured with " + meter.allocationSource());
		try {
			http.ping();
			return switch (options.scenario()) {
				case PUB_SYNC -> pubSync(run, false, () -> client.publisher(nsqdTcp));
				case MPUB -> pubSync(run, true, () -> client.publisher(nsqdTcp));
				case PUB_ASYNC -> pubAsync(run, () -> client.publisher(nsqdTcp));
				case PUB_WIRE -> pubWire(run);
				case TEMPLATE_SEND -> pubSync(run, false, () -> this.springLayer.templatePublisher(nsqdTcp));
				case TEMPLATE_SEND_ASYNC -> pubAsync(run, () -> this.springLayer.templatePublisher(nsqdTcp));
				case CONSUME -> consume(run, false);
				case SPRING_CONSUME -> consume(run, true);
				case LATENCY -> latency(run);
			};
		}
		catch (UnsupportedOperationException ex) {
			return RunResult.unsupported(clientName, scenarioName, "not available: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return RunResult.failed(clientName, scenarioName, List.of("interrupted"));
		}
		catch (Exception ex) {
			return RunResult.failed(clientName, scenarioName, List.of(describe(ex)));
		}
		finally {
			if (options.topic() == null && !options.keepTopic()) {
				deleteQuietly(http, topic);
				deleteQuietly(http, topic + "_warmup");
			}
		}
	}

	private static String freshTopic(BenchmarkOptions options) {
		return "bench_" + options.scenario().cliName().replace('-', '_') + "_"
				+ options.client().cliName().replace('-', '_') + "_" + Long.toString(System.currentTimeMillis(), 36);
	}

	private RunResult pubSync(Run run, boolean batched, PublisherFactory publishers) throws Exception {
		int batch = batched ? run.options.batch() : 1;
		try (Publisher publisher = publishers.open()) {
			// the warm-up's path is the timed part's: MPUBs for mpub, else timed PUBs
			return timedPublish(run, batched ? null : new LatencyHistogram(),
					(topic, count, latency) -> publishWithThreads(run, publisher, topic, count, batch, latency));
		}
	}

	/**
	 * The warm-up (through the same round on {@code <topic>_warmup}), a settled nsqd and
	 * a quiet JIT, then the timed round and its checks.
	 * @param latency the timed round's latency, {@code null} when it measures none
	 */
	private RunResult timedPublish(Run run, LatencyHistogram latency, PublishRound round) throws Exception {
		warmUp(run, "publishing",
				(count) -> round
					.publish(run.topic + "_warmup", count, (latency != null) ? new LatencyHistogram() : null)
					.requireAllAcknowledged());
		settleNsqd(run);
		awaitJitQuiet();
		long messages = run.options.messages();
		ResourceMeter.Snapshot counters = run.meter.snapshot();
		long start = System.nanoTime();
		Outcome outcome = round.publish(run.topic, messages, latency);
		long nanos = System.nanoTime() - start;
		ResourceMeter.Usage usage = run.meter.usage(counters, run.meter.snapshot(), messages);
		return verifyPublished(run, outcome, nanos, latency, usage);
	}

	/**
	 * {@code --threads} callers publish synchronously. Each reuses its own bodies: a
	 * synchronous publish has returned, so the client no longer needs them, and the
	 * harness allocates nothing per message inside the timed window.
	 */
	private Outcome publishWithThreads(Run run, Publisher publisher, String topic, long total, int batch,
			LatencyHistogram latency) throws InterruptedException {
		BenchmarkOptions options = run.options;
		AtomicLong next = new AtomicLong();
		AtomicLong acknowledged = new AtomicLong();
		Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		int size = options.size();
		Callers callers = new Callers(options.virtualThreads(), run.meter);
		try (Progress progress = new Progress(this.out, "published", total, acknowledged::get)) {
			callers.runAll(options.threads(), (index) -> {
				List<byte[]> bodies = new ArrayList<>(batch);
				for (int i = 0; i < batch; i++) {
					bodies.add(BodyCodec.encode(0, 0, size));
				}
				byte[] body = bodies.get(0);
				try {
					while (errors.isEmpty()) {
						long first = next.getAndAdd(batch);
						if (first >= total) {
							return;
						}
						int count = (int) Math.min(batch, total - first);
						if (latency == null) {
							List<byte[]> sent = (count == batch) ? bodies : bodies.subList(0, count);
							for (int i = 0; i < count; i++) {
								BodyCodec.rewrite(sent.get(i), first + i, 0);
							}
							publisher.multiPublish(topic, sent);
						}
						else {
							BodyCodec.rewrite(body, first, 0);
							long t0 = System.nanoTime();
							publisher.publish(topic, body);
							latency.record(System.nanoTime() - t0);
						}
						acknowledged.addAndGet(count);
					}
				}
				catch (Throwable ex) {
					errors.add(ex);
				}
			});
		}
		return new Outcome(total, acknowledged.get(), errors);
	}

	private RunResult pubAsync(Run run, PublisherFactory publishers) throws Exception {
		try (Publisher publisher = publishers.open()) {
			return timedPublish(run, new LatencyHistogram(),
					(topic, count, latency) -> publishAsync(run, publisher, topic, count, latency));
		}
	}

	private RunResult pubWire(Run run) throws Exception {
		WireWindow wire = new WireWindow(run.nsqd, run.options.outstanding(), run.options.size());
		return timedPublish(run, null, (topic, count, latency) -> publishOnWire(wire, topic, count));
	}

	private Outcome publishOnWire(WireWindow wire, String topic, long total) {
		AtomicLong acknowledged = new AtomicLong();
		Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		try (Progress progress = new Progress(this.out, "published", total, acknowledged::get)) {
			wire.publish(topic, total, acknowledged);
		}
		catch (IOException | RuntimeException ex) {
			errors.add(ex);
		}
		return new Outcome(total, acknowledged.get(), errors);
	}

	/**
	 * One caller publishes asynchronously, at most {@code --outstanding} unanswered (see
	 * {@link AsyncWindow}).
	 */
	private Outcome publishAsync(Run run, Publisher publisher, String topic, long total, LatencyHistogram latency)
			throws InterruptedException {
		BenchmarkOptions options = run.options;
		AtomicLong acknowledged = new AtomicLong();
		Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
		AsyncWindow window = new AsyncWindow(options.outstanding(), options.size(), latency, acknowledged, errors);
		try (Progress progress = new Progress(this.out, "published", total, acknowledged::get)) {
			new Callers(options.virtualThreads(), run.meter).runAll(1, (index) -> {
				try {
					window.publishAll(publisher, topic, total);
				}
				catch (Throwable ex) {
					errors.add(ex);
				}
			});
		}
		return new Outcome(total, acknowledged.get(), errors);
	}

	private RunResult verifyPublished(Run run, Outcome outcome, long nanos, LatencyHistogram latency,
			ResourceMeter.Usage usage) throws IOException {
		List<String> problems = new ArrayList<>();
		outcome.errors.stream().limit(3).forEach((ex) -> problems.add("publish failed: " + describe(ex)));
		if (outcome.errors.size() > 3) {
			problems.add((outcome.errors.size() - 3) + " more publish failures");
		}
		NsqdStats stats = run.http.stats(run.topic);
		this.out.printf(Locale.ROOT, "  nsqd: topic %s message_count=%d depth=%d%n", run.topic, stats.messageCount(),
				stats.depth());
		problems.addAll(CountCheck.published(stats, outcome.acknowledged, outcome.expected));
		if (latency != null && latency.count() > 0) {
			printLatency("publish → nsqd answer", latency);
		}
		printUsage(usage);
		return RunResult
			.ok(run.client.name(), run.options.scenario().cliName(), outcome.expected, nanos, latency, usage,
					ProcessMemory.peakRssMegabytes())
			.failedAlso(problems);
	}

	private RunResult consume(Run run, boolean spring) throws Exception {
		BenchmarkOptions options = run.options;
		long total = options.messages();
		warmUp(run, "consuming", (count) -> consumeWarmUp(run, spring, count));
		prefill(run, run.topic, total);
		settleNsqd(run);
		DeliveryTracker tracker = new DeliveryTracker(total, run.meter);
		SubscribeSpec spec = spec(run, run.topic);
		long[] start = new long[1];
		// the wait for the JIT comes after the Spring application's start, whose
		// compilations would otherwise run inside the window
		Subscription subscription = subscribe(run, spring, spec, tracker, () -> {
			awaitJitQuietUninterruptibly();
			start[0] = System.nanoTime();
		});
		boolean all;
		long nanos;
		try (Progress progress = new Progress(this.out, "handled", total, tracker::distinct)) {
			all = tracker.awaitAll(timeoutSeconds(total), TimeUnit.SECONDS);
			nanos = System.nanoTime() - start[0];
		}
		this.out.printf(Locale.ROOT, "  whole run %.3fs (%,.0f msg/s), including connecting and nsqd's final flush%n",
				nanos / 1e9, total * 1e9 / nanos);
		if (tracker.steadyNanos() > 0) {
			this.out.printf(Locale.ROOT, "  steady state: %,d messages (10%%..90%%) in %.3fs%n",
					tracker.steadyMessages(), tracker.steadyNanos() / 1e9);
		}
		return finishConsume(run, subscription, tracker, all, nanos, null, tracker.steadyUsage());
	}

	/**
	 * The untimed warm-up: {@code --warmup} messages through {@code <topic>_warmup}, in
	 * two rounds (two consumers, two rounds of callers), then a wait for the JIT. One
	 * round is not enough: ending the first round and starting the timed part takes
	 * branches the compiled hot path had never seen, and the JIT would recompile it
	 * inside the window; the second round takes those recompilations.
	 */
	private void warmUp(Run run, String what, WarmUpRound round) throws Exception {
		long warmup = run.options.effectiveWarmup();
		if (warmup <= 0) {
			return;
		}
		this.out.printf(Locale.ROOT, "  warm-up: %s %,d messages through %s_warmup in two rounds%n", what, warmup,
				run.topic);
		if (warmup / 2 > 0) {
			round.run(warmup / 2);
		}
		round.run(warmup - warmup / 2);
	}

	/**
	 * One consumer with the timed run's settings consumes {@code count} messages of
	 * {@code <topic>_warmup}, then stops.
	 */
	private void consumeWarmUp(Run run, boolean spring, long count) throws Exception {
		String topic = run.topic + "_warmup";
		String channel = run.options.channel();
		prefill(run, topic, count);
		DeliveryTracker tracker = new DeliveryTracker(count);
		Subscription subscription = subscribe(run, spring, spec(run, topic), tracker, () -> {
		});
		try {
			if (!tracker.awaitAll(timeoutSeconds(count), TimeUnit.SECONDS)) {
				throw new IllegalStateException("warm-up: " + tracker.distinct() + " of " + count
						+ " messages consumed within " + timeoutSeconds(count) + "s");
			}
			awaitStats(run, topic, (s) -> s.channel(channel) != null && s.channel(channel).unfinished() == 0, 15);
		}
		finally {
			subscription.stop();
		}
	}

	/**
	 * The warm-up and the timed run subscribe here: one handler class for both, so the
	 * timed run's handler call sites stay as the warm-up compiled them.
	 * @param beforeListening runs just before the consumer starts (for spring-consume,
	 * after its application started)
	 */
	private Subscription subscribe(Run run, boolean spring, SubscribeSpec spec, DeliveryTracker tracker,
			Runnable beforeListening) throws Exception {
		if (spring) {
			return this.springLayer.consume(spec, tracker, beforeListening);
		}
		beforeListening.run();
		return run.client.subscribe(spec, (body) -> tracker.record(BodyCodec.sequence(body)));
	}

	/**
	 * {@link #awaitJitQuiet()} where an interrupt cannot be thrown (a callback).
	 */
	private void awaitJitQuietUninterruptibly() {
		try {
			awaitJitQuiet();
		}
		catch (InterruptedException ex) {
			// kept set: the run ends, interrupted, at its next wait
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait for the compilations the warm-up set off, so that the window measures the
	 * client and not its JIT (see {@link JitCompiler}).
	 */
	private void awaitJitQuiet() throws InterruptedException {
		JitCompiler.Quiet quiet = this.jit.awaitQuiet(this.jitWaitMaxNanos);
		if (quiet.compiledMillis() >= 0) {
			this.out.printf(Locale.ROOT, "  JIT %s after %.1fs (%,d ms of compilation meanwhile)%n",
					quiet.quiet() ? "quiet" : "still compiling", quiet.waitedNanos() / 1e9, quiet.compiledMillis());
		}
	}

	private RunResult latency(Run run) throws Exception {
		BenchmarkOptions options = run.options;
		long warmup = options.effectiveWarmup();
		long total = warmup + options.messages();
		run.http.createChannel(run.topic, options.channel());
		DeliveryTracker tracker = new DeliveryTracker(total);
		LatencyHistogram latency = new LatencyHistogram();
		Subscription subscription = run.client.subscribe(spec(run, run.topic), (body) -> {
			long now = System.nanoTime();
			long seq = BodyCodec.sequence(body);
			if (tracker.record(seq) && seq >= warmup) {
				latency.record(now - BodyCodec.nanoTime(body));
			}
		});
		awaitConsumerConnected(run);
		long interval = 1_000_000_000L / options.rate();
		this.out.printf(Locale.ROOT, "  publishing %,d + %,d warm-up messages at %d msg/s%n", options.messages(),
				warmup, options.rate());
		long timedStart = 0;
		long timedEnd;
		ResourceMeter.Snapshot counters = null;
		try (Publisher publisher = run.client.publisher(run.nsqd);
				Progress progress = new Progress(this.out, "handled", total, tracker::distinct)) {
			long start = System.nanoTime();
			for (long seq = 0; seq < total; seq++) {
				long target = start + seq * interval;
				long wait;
				while ((wait = target - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
				if (seq == warmup) {
					counters = run.meter.snapshot();
					timedStart = System.nanoTime();
				}
				publisher.publish(run.topic, BodyCodec.encode(seq, System.nanoTime(), options.size()));
			}
			timedEnd = System.nanoTime();
			ResourceMeter.Usage usage = run.meter.usage(counters, run.meter.snapshot(), options.messages());
			boolean all = tracker.awaitAll(timeoutSeconds(total), TimeUnit.SECONDS);
			return finishConsume(run, subscription, tracker, all, timedEnd - timedStart, latency, usage);
		}
	}

	private RunResult finishConsume(Run run, Subscription subscription, DeliveryTracker tracker, boolean all,
			long nanos, LatencyHistogram latency, ResourceMeter.Usage usage) throws Exception {
		String channel = run.options.channel();
		List<String> problems = new ArrayList<>();
		if (!all) {
			problems.add("timed out waiting for messages");
		}
		// the handlers returned; give the FINs time to reach nsqd before stopping
		NsqdStats stats = awaitStats(run, (s) -> s.channel(channel) != null && s.channel(channel).unfinished() == 0,
				15);
		subscription.stop();
		stats = run.http.stats(run.topic);
		NsqdStats.ChannelStats ch = stats.channel(channel);
		if (ch != null) {
			this.out.printf(Locale.ROOT,
					"  nsqd: topic message_count=%d; channel %s message_count=%d depth=%d in_flight=%d deferred=%d "
							+ "requeued=%d timed_out=%d%n",
					stats.messageCount(), channel, ch.messageCount(), ch.depth(), ch.inFlight(), ch.deferred(),
					ch.requeueCount(), ch.timeoutCount());
		}
		this.out.printf(Locale.ROOT, "  handler: %,d deliveries, %,d distinct, %,d duplicates%n", tracker.deliveries(),
				tracker.distinct(), tracker.duplicates());
		if (tracker.duplicates() > 0) {
			this.out.printf(Locale.ROOT, "  WARNING: %,d duplicate deliveries (allowed by at-least-once, reported)%n",
					tracker.duplicates());
		}
		problems.addAll(CountCheck.consumed(stats, channel, tracker));
		if (latency != null) {
			printLatency("publish → handler", latency);
		}
		long timed = (latency != null) ? run.options.messages() : tracker.expected();
		if (latency == null && tracker.steadyNanos() > 0) {
			// throughput is the steady state (see DeliveryTracker), not the whole run
			timed = tracker.steadyMessages();
			nanos = tracker.steadyNanos();
		}
		printUsage(usage);
		return RunResult
			.ok(run.client.name(), run.options.scenario().cliName(), timed, nanos, latency, usage,
					ProcessMemory.peakRssMegabytes())
			.failedAlso(problems);
	}

	private void prefill(Run run, String topic, long total) throws Exception {
		String channel = run.options.channel();
		run.http.createChannel(topic, channel);
		AtomicLong filled = new AtomicLong();
		long start = System.nanoTime();
		try (Progress progress = new Progress(this.out, "pre-filled", total, filled::get)) {
			for (long first = 0; first < total; first += PREFILL_BATCH) {
				int count = (int) Math.min(PREFILL_BATCH, total - first);
				List<byte[]> bodies = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					bodies.add(BodyCodec.encode(first + i, 0, run.options.size()));
				}
				run.http.multiPublish(topic, bodies);
				filled.addAndGet(count);
			}
		}
		NsqdStats stats = awaitStats(run, topic,
				(s) -> s.channel(channel) != null && s.channel(channel).depth() >= total, 60);
		this.out.printf(Locale.ROOT, "  pre-filled %,d messages over nsqd HTTP /mpub in %.1fs (channel depth %d)%n",
				total, (System.nanoTime() - start) / 1e9, stats.channel(channel).depth());
		if (stats.channel(channel).depth() != total) {
			throw new IllegalStateException(
					"pre-fill: channel depth " + stats.channel(channel).depth() + ", expected " + total);
		}
	}

	private void awaitConsumerConnected(Run run) throws Exception {
		String channel = run.options.channel();
		NsqdStats stats = awaitStats(run, (s) -> s.channel(channel) != null && s.channel(channel).clientCount() > 0,
				30);
		if (stats.channel(channel) == null || stats.channel(channel).clientCount() == 0) {
			throw new IllegalStateException("consumer did not connect within 30s");
		}
	}

	private NsqdStats awaitStats(Run run, java.util.function.Predicate<NsqdStats> condition, int seconds)
			throws IOException, InterruptedException {
		return awaitStats(run, run.topic, condition, seconds);
	}

	private NsqdStats awaitStats(Run run, String topic, java.util.function.Predicate<NsqdStats> condition, int seconds)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		NsqdStats stats = run.http.stats(topic);
		while (!condition.test(stats) && System.nanoTime() < deadline) {
			Thread.sleep(50);
			stats = run.http.stats(topic);
		}
		return stats;
	}

	private SubscribeSpec spec(Run run, String topic) {
		BenchmarkOptions o = run.options;
		return new SubscribeSpec(run.nsqd, o.lookupd(), topic, o.channel(), o.maxInFlight(), o.threads(),
				o.outputBufferSize(), o.outputBufferTimeoutMs(), o.virtualThreads());
	}

	private long timeoutSeconds(long messages) {
		return (this.consumeTimeoutSeconds >= 0) ? this.consumeTimeoutSeconds : 120 + messages / 10_000;
	}

	private void printLatency(String what, LatencyHistogram latency) {
		this.out.printf(Locale.ROOT, "  latency %s over %,d messages: p50=%dus p90=%dus p99=%dus max=%dus%n", what,
				latency.count(), latency.percentileNanos(50) / 1000, latency.percentileNanos(90) / 1000,
				latency.percentileNanos(99) / 1000, latency.maxNanos() / 1000);
	}

	private void printUsage(ResourceMeter.Usage usage) {
		if (usage.untrackedEndedThreads() > 0) {
			this.out
				.printf(Locale.ROOT,
						"  WARNING: %d threads ended inside the timed window without reporting their allocation; "
								+ "alloc_bytes_per_msg misses what they allocated in it%n",
						usage.untrackedEndedThreads());
		}
	}

	/**
	 * Start the timed window against nsqd in the same state whatever ran on it before:
	 * without the warm-up topic, and with the memory that earlier runs freed returned to
	 * the OS. A run that finds such memory in nsqd skips the page faults the run before
	 * paid, so a row used to read faster or slower by what preceded it: MPUB ×200 0.96×
	 * go-nsq with ours first and 1.50× with go-nsq first, an {@code -Xmx64m} row right
	 * after its {@code -Xmx1g} row on an nsqd already grown. An nsqd without the endpoint
	 * (nsq-test's) keeps its memory, and the run goes on.
	 */
	private void settleNsqd(Run run) {
		deleteQuietly(run.http, run.topic + "_warmup");
		OptionalLong before = nsqdRss(run);
		try {
			run.http.freeMemory();
		}
		catch (IOException ex) {
			this.out.println("  nsqd kept its free memory (" + ex.getMessage() + ")");
			return;
		}
		OptionalLong after = nsqdRss(run);
		String rss = (before.isPresent() && after.isPresent())
				? String.format(Locale.ROOT, " (RSS %,d -> %,d MB)", before.getAsLong(), after.getAsLong()) : "";
		this.out.println("  nsqd: warm-up topic deleted, free memory returned to the OS" + rss);
	}

	private static OptionalLong nsqdRss(Run run) {
		Long pid = run.options.nsqdPid();
		return (pid != null) ? ProcessMemory.rssMegabytes(pid) : OptionalLong.empty();
	}

	private void deleteQuietly(NsqdHttp http, String topic) {
		try {
			if (http.stats(topic).exists()) {
				http.deleteTopic(topic);
			}
		}
		catch (IOException | RuntimeException ex) {
			this.out.println("  (could not delete topic " + topic + ": " + ex.getMessage() + ")");
		}
	}

	static String describe(Throwable ex) {
		Throwable root = ex;
		while ((root instanceof java.util.concurrent.CompletionException
				|| root instanceof java.util.concurrent.ExecutionException) && root.getCause() != null) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	/**
	 * The scenarios through nsq-spring's Spring layer: each starts a Spring Boot
	 * application (outside the timed window).
	 */
	public interface SpringLayer {

		/**
		 * Start a Spring Boot application whose {@code @NsqListener} (String payload)
		 * records each body's sequence number in the tracker; the listener starts
		 * consuming after {@code beforeListening} ran.
		 * @param spec what to consume
		 * @param tracker where the listener records deliveries
		 * @param beforeListening runs once the application is up, before its listener
		 * starts
		 * @return stops the application
		 * @throws Exception when it cannot start
		 */
		Subscription consume(SubscribeSpec spec, DeliveryTracker tracker, Runnable beforeListening) throws Exception;

		/**
		 * Start a Spring Boot application and publish through its auto-configured
		 * {@code NsqTemplate}.
		 * @param nsqdAddress nsqd TCP {@code host:port}
		 * @return publishes through the template; closing it stops the application
		 * @throws Exception when it cannot start
		 */
		Publisher templatePublisher(String nsqdAddress) throws Exception;

	}

	/**
	 * One round of a warm-up: publishes or consumes that many messages.
	 */
	@FunctionalInterface
	private interface WarmUpRound {

		void run(long count) throws Exception;

	}

	/**
	 * One round of publishing: the warm-up's or the timed one.
	 */
	@FunctionalInterface
	private interface PublishRound {

		Outcome publish(String topic, long count, LatencyHistogram latency) throws Exception;

	}

	/**
	 * Opens the publisher a publish scenario uses.
	 */
	@FunctionalInterface
	private interface PublisherFactory {

		Publisher open() throws Exception;

	}

	private record Run(BenchmarkOptions options, BenchClient client, String nsqd, NsqdHttp http, String topic,
			ResourceMeter meter) {
	}

	private record Outcome(long expected, long acknowledged, Queue<Throwable> errors) {

		/** For the warm-up, whose failures would otherwise go unnoticed. */
		void requireAllAcknowledged() {
			if (!this.errors.isEmpty() || this.acknowledged != this.expected) {
				IllegalStateException failure = new IllegalStateException(
						"warm-up: " + this.acknowledged + " of " + this.expected + " publishes acknowledged"
								+ (this.errors.isEmpty() ? "" : ", first failure: " + describe(this.errors.peek())));
				this.errors.forEach(failure::addSuppressed);
				throw failure;
			}
		}

	}

}
