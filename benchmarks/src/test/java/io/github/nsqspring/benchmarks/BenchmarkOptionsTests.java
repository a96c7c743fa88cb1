package io.github.nsqspring.benchmarks;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.support.VirtualThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkOptionsTests {

	@Test
	void defaultsForAScenario() {
		BenchmarkOptions options = BenchmarkOptions.parse("consume");
		assertThat(options.scenario()).isEqualTo(Scenario.CONSUME);
		assertThat(options.client()).isEqualTo(ClientKind.NSQ_SPRING);
		assertThat(options.nsqd()).isNull();
		assertThat(options.messages()).isEqualTo(Scenario.CONSUME.defaultMessages());
		assertThat(options.size()).isEqualTo(200);
		assertThat(options.threads()).isEqualTo(1);
		assertThat(options.batch()).isEqualTo(200);
		assertThat(options.maxInFlight()).isEqualTo(2500);
		assertThat(options.topic()).isNull();
		assertThat(options.channel()).isEqualTo("bench");
		assertThat(options.lookupd()).isEmpty();
		assertThat(options.outputBufferSize()).isNull();
		assertThat(options.keepTopic()).isFalse();
		assertThat(options.nsqdPid()).isNull();
		assertThat(options.virtualThreads()).isFalse();
	}

	@Test
	void nsqdPidNeedsAnNsqdAddress() {
		assertThat(BenchmarkOptions.parse("pub-sync", "--nsqd", "127.0.0.1:4150", "--nsqd-pid", "4242").nsqdPid())
			.isEqualTo(4242);
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("pub-sync", "--nsqd-pid", "4242"))
			.withMessageContaining("--nsqd-pid needs --nsqd");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("pub-sync", "--nsqd", "127.0.0.1:4150", "--nsqd-pid", "x"))
			.withMessageContaining("--nsqd-pid expects a number, was 'x'");
	}

	@Test
	void virtualThreadsNeedAJvmThatHasThem() {
		if (VirtualThreads.available()) {
			assertThat(BenchmarkOptions.parse("template-send", "--virtual-threads").virtualThreads()).isTrue();
		}
		else {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> BenchmarkOptions.parse("template-send", "--virtual-threads"))
				.withMessageContaining("--virtual-threads needs a JVM with virtual threads (Java 21 or later)")
				.withMessageContaining("this one is Java " + System.getProperty("java.version"));
		}
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("latency", "--virtual-threads"))
			.withMessageContaining("not to latency");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("pub-sync", "--virtual-threads=yes"))
			.withMessageContaining("--virtual-threads takes no value");
	}

	@Test
	void everyFlagInBothForms() {
		BenchmarkOptions options = BenchmarkOptions.parse("latency", "--client", "nsq-j", "--nsqd=10.0.0.1:4150",
				"--nsqd-http", "10.0.0.1:9999", "--lookupd", "10.0.0.2:4161,10.0.0.3:4161", "--messages=1_000",
				"--size", "64", "--threads", "4", "--batch", "50", "--max-in-flight", "10", "--rate", "500",
				"--outstanding", "7", "--warmup", "0", "--topic", "t1", "--channel", "c1", "--output-buffer-size", "-1",
				"--output-buffer-timeout=-1", "--keep-topic");
		assertThat(options.client()).isEqualTo(ClientKind.NSQ_J);
		assertThat(options.nsqd()).isEqualTo("10.0.0.1:4150");
		assertThat(options.httpAddressFor(options.nsqd())).isEqualTo("10.0.0.1:9999");
		assertThat(options.lookupd()).containsExactly("10.0.0.2:4161", "10.0.0.3:4161");
		assertThat(options.messages()).isEqualTo(1000);
		assertThat(options.size()).isEqualTo(64);
		assertThat(options.threads()).isEqualTo(4);
		assertThat(options.batch()).isEqualTo(50);
		assertThat(options.maxInFlight()).isEqualTo(10);
		assertThat(options.rate()).isEqualTo(500);
		assertThat(options.outstanding()).isEqualTo(7);
		assertThat(options.effectiveWarmup()).isZero();
		assertThat(options.topic()).isEqualTo("t1");
		assertThat(options.channel()).isEqualTo("c1");
		assertThat(options.outputBufferSize()).isEqualTo(-1);
		assertThat(options.outputBufferTimeoutMs()).isEqualTo(-1);
		assertThat(options.keepTopic()).isTrue();
	}

	@Test
	void httpAddressDefaultsToTcpPortPlusOne() {
		BenchmarkOptions options = BenchmarkOptions.parse("pub-sync", "--nsqd", "127.0.0.1:4150");
		assertThat(options.httpAddressFor("127.0.0.1:4150")).isEqualTo("127.0.0.1:4151");
		assertThat(options.httpAddressFor("[::1]:5000")).isEqualTo("[::1]:5001");
	}

	@Test
	void warmupDefaultsPerScenario() {
		assertThat(BenchmarkOptions.parse("pub-sync", "--messages", "1000").effectiveWarmup()).isEqualTo(500);
		assertThat(BenchmarkOptions.parse("mpub", "--messages", "4000000").effectiveWarmup()).isEqualTo(2_000_000);
		assertThat(BenchmarkOptions.parse("consume", "--messages", "2000000").effectiveWarmup()).isEqualTo(1_000_000);
		assertThat(BenchmarkOptions.parse("spring-consume", "--messages", "1000").effectiveWarmup()).isEqualTo(500);
		assertThat(BenchmarkOptions.parse("latency", "--messages", "20000").effectiveWarmup()).isEqualTo(2_000);
		assertThat(BenchmarkOptions.parse("consume", "--warmup", "7").effectiveWarmup()).isEqualTo(7);
	}

	@Test
	void everyScenarioAndClientByName() {
		for (Scenario scenario : Scenario.values()) {
			assertThat(BenchmarkOptions.parse(scenario.cliName()).scenario()).isEqualTo(scenario);
		}
		for (ClientKind kind : ClientKind.values()) {
			assertThat(BenchmarkOptions.parse("mpub", "--client", kind.cliName()).client()).isEqualTo(kind);
		}
	}

	@Test
	void badCommandLinesNameTheProblem() {
		assertThatIllegalArgumentException().isThrownBy(BenchmarkOptions::parse).withMessageContaining("scenario");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("--messages", "5"))
			.withMessageContaining("missing scenario");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("publish"))
			.withMessageContaining("unknown scenario 'publish'");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--client", "go-nsq"))
			.withMessageContaining("unknown client 'go-nsq'");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--bogus", "1"))
			.withMessageContaining("unknown flag --bogus");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--messages"))
			.withMessageContaining("--messages needs a value");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--messages", "0"))
			.withMessageContaining("at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--messages", "many"))
			.withMessageContaining("expects a number");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--size", "10"))
			.withMessageContaining("--size must be at least " + BodyCodec.HEADER_SIZE);
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--nsqd", "localhost"))
			.withMessageContaining("host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--nsqd", "h:70000"))
			.withMessageContaining("port out of range");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "--topic", "a b"))
			.withMessageContaining("not a valid NSQ name");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchmarkOptions.parse("mpub", "--nsqd-http", "127.0.0.1:4151"))
			.withMessageContaining("--nsqd-http needs --nsqd");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse("mpub", "stray"))
			.withMessageContaining("unexpected argument 'stray'");
	}

}
