package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.github.nsqspring.benchmarks.support.VirtualThreads;

/**
 * The parsed command line: {@code <scenario> [--flag value | --flag=value]...}.
 *
 * @param scenario the scenario to run
 * @param client the client under test
 * @param nsqd nsqd TCP address {@code host:port}, {@code null} to start the embedded nsqd
 * @param nsqdHttp nsqd HTTP address {@code host:port} for {@code /stats}; {@code null}
 * means the TCP port + 1
 * @param lookupd nsqlookupd HTTP addresses the consumers discover nsqd through (empty:
 * connect to {@code nsqd} directly)
 * @param messages messages in the timed part of the run
 * @param size body size in bytes
 * @param threads publishing threads (pub-sync, mpub) or handler threads (consume)
 * @param batch messages per MPUB
 * @param maxInFlight consumer max in flight
 * @param rate messages per second (latency)
 * @param outstanding most unanswered publishes (pub-async, pub-wire)
 * @param warmup messages published before the timed part, -1 for the scenario's default
 * @param topic topic name, {@code null} for a fresh one per run
 * @param channel channel name
 * @param outputBufferSize IDENTIFY {@code output_buffer_size} for consumers, {@code null}
 * for the client's default
 * @param outputBufferTimeoutMs IDENTIFY {@code output_buffer_timeout} (ms) for consumers,
 * {@code null} for the client's default
 * @param keepTopic keep the topic on nsqd after the run (otherwise a generated topic is
 * deleted)
 * @param nsqdPid nsqd's process id on this machine, to report its CPU time per message;
 * {@code null} when not measured
 * @param virtualThreads publishing callers (and nsq-spring's consumer handlers) run on
 * virtual threads (Java 21+)
 */
public record BenchmarkOptions(Scenario scenario, ClientKind client, String nsqd, String nsqdHttp, List<String> lookupd,
		long messages, int size, int threads, int batch, int maxInFlight, int rate, int outstanding, long warmup,
		String topic, String channel, Integer outputBufferSize, Integer outputBufferTimeoutMs, boolean keepTopic,
		Long nsqdPid, boolean virtualThreads) {

	/** Smallest body: the harness writes a sequence number and a timestamp in each. */
	public static final int MIN_SIZE = BodyCodec.HEADER_SIZE;

	/** Usage text. */
	public static final String USAGE = """
			usage: java -jar nsq-spring-benchmarks.jar <scenario> [flags]
			  scenarios: %s
			  --client NAME             %s (default nsq-spring)
			  --nsqd HOST:PORT          nsqd TCP address (default: start the embedded nsqd of nsq-test)
			  --nsqd-http HOST:PORT     nsqd HTTP address for /stats (default: TCP port + 1)
			  --lookupd HOST:PORT[,..]  consumers discover nsqd through these nsqlookupd
			  --messages N              messages in the timed part (default per scenario)
			  --size BYTES              message body size (default 200, at least %d)
			  --threads T               publishing threads sharing one producer / handler threads (default 1)
			  --batch B                 messages per MPUB (default 200)
			  --max-in-flight M         consumer max in flight (default 2500)
			  --rate R                  latency: messages per second (default 1000)
			  --outstanding N           pub-async, pub-wire: most unanswered publishes (default 10000)
			  --warmup N                untimed messages first, on <topic>_warmup in two rounds, then a wait for the
			                            JIT (default: half of --messages); latency: the first N are published first
			                            and left out of the percentiles (default: a tenth of --messages)
			  --topic NAME              topic (default: a fresh one per run, deleted afterwards)
			  --channel NAME            channel (default bench)
			  --output-buffer-size N    consumer IDENTIFY output_buffer_size (-1: unbuffered)
			  --output-buffer-timeout MS consumer IDENTIFY output_buffer_timeout (-1: no timed flush)
			  --keep-topic              do not delete the topic after the run
			  --nsqd-pid P              nsqd's process id on this machine: adds nsqd_cpu_us_per_msg (from /proc/P/stat)
			  --virtual-threads         publishing callers (and nsq-spring's consumer handlers) run on virtual
			                            threads (needs Java 21+)
			""".formatted(Scenario.names(), ClientKind.names(), MIN_SIZE);

	/**
	 * Parse a command line.
	 * @param args the arguments, the scenario first
	 * @return the options
	 * @throws IllegalArgumentException with a message naming the bad argument
	 */
	public static BenchmarkOptions parse(String... args) {
		List<String> rest = new ArrayList<>(Arrays.asList(args));
		if (rest.isEmpty() || rest.get(0).startsWith("-")) {
			throw new IllegalArgumentException("missing scenario, expected one of " + Scenario.names());
		}
		Scenario scenario = Scenario.fromCliName(rest.remove(0));
		ClientKind client = ClientKind.NSQ_SPRING;
		String nsqd = null;
		String nsqdHttp = null;
		List<String> lookupd = List.of();
		long messages = scenario.defaultMessages();
		int size = 200;
		int threads = 1;
		int batch = 200;
		int maxInFlight = 2500;
		int rate = 1000;
		int outstanding = 10_000;
		long warmup = -1;
		String topic = null;
		String channel = "bench";
		Integer outputBufferSize = null;
		Integer outputBufferTimeout = null;
		boolean keepTopic = false;
		Long nsqdPid = null;
		boolean virtualThreads = false;
		for (int i = 0; i < rest.size(); i++) {
			String arg = rest.get(i);
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "'");
			}
			String name = arg.substring(2);
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (name.equals("keep-topic") || name.equals("virtual-threads")) {
				if (value != null) {
					throw new IllegalArgumentException("--" + name + " takes no value");
				}
				if (name.equals("keep-topic")) {
					keepTopic = true;
				}
				else {
					virtualThreads = true;
				}
				continue;
			}
			if (value == null) {
				if (i + 1 >= rest.size()) {
					throw new IllegalArgumentException("--" + name + " needs a value");
				}
				value = rest.get(++i);
			}
			switch (name) {
				case "client" -> client = ClientKind.fromCliName(value);
				case "nsqd" -> nsqd = address(name, value);
				case "nsqd-http" -> nsqdHttp = address(name, value);
				case "lookupd" -> lookupd = addresses(name, value);
				case "messages" -> messages = positiveLong(name, value);
				case "size" -> size = atLeast(name, value, MIN_SIZE);
				case "threads" -> threads = atLeast(name, value, 1);
				case "batch" -> batch = atLeast(name, value, 1);
				case "max-in-flight" -> maxInFlight = atLeast(name, value, 1);
				case "rate" -> rate = atLeast(name, value, 1);
				case "outstanding" -> outstanding = atLeast(name, value, 1);
				case "warmup" -> warmup = atLeast(name, value, 0);
				case "topic" -> topic = name(name, value);
				case "channel" -> channel = name(name, value);
				case "output-buffer-size" -> outputBufferSize = atLeast(name, value, -1);
				case "output-buffer-timeout" -> outputBufferTimeout = atLeast(name, value, -1);
				case "nsqd-pid" -> nsqdPid = positiveLong(name, value);
				default -> throw new IllegalArgumentException("unknown flag --" + name);
			}
		}
		if (nsqdHttp != null && nsqd == null) {
			throw new IllegalArgumentException("--nsqd-http needs --nsqd");
		}
		if (nsqdPid != null && nsqd == null) {
			throw new IllegalArgumentException("--nsqd-pid needs --nsqd (the embedded nsqd runs in this JVM)");
		}
		if (virtualThreads) {
			if (scenario == Scenario.LATENCY) {
				throw new IllegalArgumentException(
						"--virtual-threads applies to publishing callers and consumer handlers, not to latency");
			}
			VirtualThreads.requireAvailable();
		}
		return new BenchmarkOptions(scenario, client, nsqd, nsqdHttp, lookupd, messages, size, threads, batch,
				maxInFlight, rate, outstanding, warmup, topic, channel, outputBufferSize, outputBufferTimeout,
				keepTopic, nsqdPid, virtualThreads);
	}

	/**
	 * The nsqd HTTP address: {@code --nsqd-http}, else the TCP host with port + 1.
	 * @param tcpAddress the nsqd TCP address in use
	 * @return the HTTP address
	 */
	public String httpAddressFor(String tcpAddress) {
		if (this.nsqdHttp != null) {
			return this.nsqdHttp;
		}
		int colon = tcpAddress.lastIndexOf(':');
		int port = Integer.parseInt(tcpAddress.substring(colon + 1));
		return tcpAddress.substring(0, colon) + ":" + (port + 1);
	}

	/**
	 * Warm-up messages: the {@code --warmup} value, else a tenth of the messages for
	 * latency (published first, left out of the percentiles) and half for every other
	 * scenario: enough for the JIT to compile what runs per call and per socket read too,
	 * which an MPUB of 200 messages reaches 200 times less often than a PUB (C2 compiles
	 * a method after about 5,000 calls).
	 * @return the count
	 */
	public long effectiveWarmup() {
		if (this.warmup >= 0) {
			return this.warmup;
		}
		return (this.scenario == Scenario.LATENCY) ? this.messages / 10 : this.messages / 2;
	}

	private static String address(String flag, String value) {
		int colon = value.lastIndexOf(':');
		if (colon <= 0 || colon == value.length() - 1) {
			throw new IllegalArgumentException("--" + flag + " expects host:port, was '" + value + "'");
		}
		int port;
		try {
			port = Integer.parseInt(value.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + flag + " expects host:port, was '" + value + "'");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("--" + flag + " port out of range in '" + value + "'");
		}
		return value;
	}

	private static List<String> addresses(String flag, String value) {
		List<String> result = new ArrayList<>();
		for (String part : value.split(",")) {
			result.add(address(flag, part.trim()));
		}
		return Collections.unmodifiableList(result);
	}

	private static long positiveLong(String flag, String value) {
		long parsed;
		try {
			parsed = Long.parseLong(value.replace("_", ""));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + flag + " expects a number, was '" + value + "'");
		}
		if (parsed < 1) {
			throw new IllegalArgumentException("--" + flag + " must be at least 1, was " + parsed);
		}
		return parsed;
	}

	private static int atLeast(String flag, String value, int min) {
		int parsed;
		try {
			parsed = Integer.parseInt(value.replace("_", ""));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + flag + " expects a number, was '" + value + "'");
		}
		if (parsed < min) {
			throw new IllegalArgumentException("--" + flag + " must be at least " + min + ", was " + parsed);
		}
		return parsed;
	}

	private static String name(String flag, String value) {
		if (!value.matches("[.a-zA-Z0-9_-]{1,64}(#ephemeral)?")) {
			throw new IllegalArgumentException("--" + flag + " is not a valid NSQ name: '" + value + "'");
		}
		return value;
	}

}
