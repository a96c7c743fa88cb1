package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Script;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Consumer behaviour against scripted nsqd: RDY distribution, attempts, requeue delays,
 * non-fatal errors, graceful stop.
 */
class ConsumerBehaviourTests {

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void rdySharesIncludeTheRemainderAndShrinkWhenMaxInFlightDrops() throws Exception {
		List<GoldenTraceNsqd> servers = List.of(nsqd(Script.of()), nsqd(Script.of()), nsqd(Script.of()));
		NsqConsumer consumer = consumer(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(10)).build(),
				(message) -> {
				}, servers.stream().map(GoldenTraceNsqd::address).toArray(String[]::new));
		consumer.start();
		await().untilAsserted(() -> assertThat(lastRdys(servers)).containsExactlyInAnyOrder(4L, 3L, 3L));
		// go-nsq cannot lower RDY while the total is over the new max_in_flight
		consumer.changeMaxInFlight(4);
		await().untilAsserted(() -> assertThat(lastRdys(servers)).containsExactlyInAnyOrder(2L, 1L, 1L));
		assertThat(((DefaultNsqConsumer) consumer).rdyCounts().values().stream().mapToLong(Long::longValue).sum())
			.isEqualTo(4);
	}

	@Test
	void statsReportTheRdySumOfOpenConnections() throws Exception {
		List<GoldenTraceNsqd> servers = List.of(nsqd(Script.of()), nsqd(Script.of()));
		NsqConsumer consumer = consumer(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(6)).build(),
				(message) -> {
				}, servers.stream().map(GoldenTraceNsqd::address).toArray(String[]::new));
		consumer.start();
		await().untilAsserted(() -> assertThat(consumer.stats().rdy()).isEqualTo(6));
		consumer.changeMaxInFlight(0);
		await().untilAsserted(() -> assertThat(consumer.stats().rdy()).isZero());
	}

	@Test
	void listenerHearsOfFailedLookupdPolls() throws Exception {
		List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.lookupd("127.0.0.1:" + closedPort)
			.handler((message) -> {
			})
			.listener(new ConsumerListener() {
				@Override
				public void onLookupFailed(Throwable cause) {
					failures.add(cause);
				}
			})
			.build();
		this.closeables.add(0, consumer);
		consumer.start();
		await().until(() -> !failures.isEmpty());
		assertThat(failures.get(0)).hasMessageContaining("nsqlookupd");
	}

	@Test
	void rdyIsCappedByTheServersMaxRdyCount() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of().withMaxRdyCount(3));
		consumer(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(100)).build(), (message) -> {
		}, nsqd.address()).start();
		await().until(() -> nsqd.commands(0).contains("RDY 3"));
	}

	@Test
	void maxInFlightBelowConnectionCountStillReachesEveryNsqd() throws Exception {
		Set<String> handled = ConcurrentHashMap.newKeySet();
		List<GoldenTraceNsqd> servers = List.of(nsqd(Script.of(Scripted.of("aaaaaaaaaaaaaaaa", "a"))),
				nsqd(Script.of(Scripted.of("bbbbbbbbbbbbbbbb", "b"))),
				nsqd(Script.of(Scripted.of("cccccccccccccccc", "c"))));
		NsqConfig config = NsqConfig.builder()
			.consumer((settings) -> settings.maxInFlight(1)
				.rdyRedistributeInterval(Duration.ofMillis(20))
				.lowRdyIdleTimeout(Duration.ofSeconds(1))
				.lowRdyTimeout(Duration.ofSeconds(1)))
			.build();
		NsqConsumer consumer = consumer(config, (message) -> handled.add(new String(message.body())),
				servers.stream().map(GoldenTraceNsqd::address).toArray(String[]::new));
		consumer.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 3);
		assertThat(((DefaultNsqConsumer) consumer).rdyCounts().values().stream().mapToLong(Long::longValue).sum())
			.isLessThanOrEqualTo(1);
	}

	@Test
	void messagesOverMaxAttemptsGoToTheFailedMessageHandlerAndAreFinished() throws Exception {
		String id = "0123456789abcdef";
		GoldenTraceNsqd nsqd = nsqd(Script.of(new Scripted(id, 6, "x")));
		List<String> failedIds = new ArrayList<>();
		AtomicInteger handled = new AtomicInteger();
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.config(NsqConfig.builder().consumer((settings) -> settings.maxAttempts(5)).build())
			.nsqd(nsqd.address())
			.handler((message) -> handled.incrementAndGet())
			.failedMessageHandler((message) -> failedIds.add(message.idText()))
			.build();
		this.closeables.add(0, consumer);
		consumer.start();
		await().until(() -> nsqd.commands(0).contains("FIN " + id));
		assertThat(failedIds).containsExactly(id);
		assertThat(handled).hasValue(0);
		ConsumerStats stats = consumer.stats();
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.finished()).isEqualTo(1);
		assertThat(stats.inFlight()).isZero();
	}

	@Test
	void failedHandlerRequeuesWithTheAutomaticDelay() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of(new Scripted("aaaaaaaaaaaaaaa3", 3, "x"),
				new Scripted("aaaaaaaaaaaaaa20", 20, "x"), new Scripted("explicitexplicit", 1, "explicit")));
		NsqConfig config = NsqConfig.builder()
			.consumer((settings) -> settings.maxAttempts(0).backoffMultiplier(Duration.ofMillis(1)))
			.build();
		consumer(config, (message) -> {
			if (message.idText().equals("explicitexplicit")) {
				message.requeue(Duration.ofMillis(1500));
				return;
			}
			throw new IllegalStateException("fails");
		}, nsqd.address()).start();
		await().until(() -> nsqd.commands(0).contains("REQ explicitexplicit 1500"));
		assertThat(nsqd.commands(0)).contains("REQ aaaaaaaaaaaaaaa3 270000", "REQ aaaaaaaaaaaaaa20 900000");
	}

	@Test
	void nonFatalFinFailuresAreCountedAndKeepTheConnection() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(
				Script.of(Scripted.of("aaaaaaaaaaaaaaaa", "a"), Scripted.of("bbbbbbbbbbbbbbbb", "b")).refusingFin());
		List<String> errors = new ArrayList<>();
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch").nsqd(nsqd.address()).handler((message) -> {
		}).listener(new ConsumerListener() {
			@Override
			public void onResponseError(String nsqdAddress, String errorText) {
				errors.add(errorText);
			}
		}).build();
		this.closeables.add(0, consumer);
		consumer.start();
		await().until(() -> consumer.stats().responseErrors() == 2);
		assertThat(errors).allMatch((text) -> text.startsWith("E_FIN_FAILED"));
		assertThat(consumer.stats().connections()).isEqualTo(1);
		assertThat(nsqd.connections()).isEqualTo(1);
	}

	@Test
	void stopAsksForNothingMoreThenFinishesEveryDeliveredMessageAndEndsItsThreads() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of(messages(5)).inBursts());
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.config(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(5)).build())
			.nsqd(nsqd.address())
			.handler((message) -> {
				started.countDown();
				release.await();
			})
			.build();
		this.closeables.add(0, consumer);
		consumer.start();
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		await().until(() -> consumer.stats().received() == 5);
		var stopped = consumer.stop(Duration.ofSeconds(30));
		await().until(() -> nsqd.commands(0).contains("CLS"));
		List<String> commands = nsqd.commands(0);
		assertThat(commands.indexOf("RDY 0")).isLessThan(commands.indexOf("CLS"));
		// the four messages no handler started wait for one, instead of being requeued
		assertThat(commands).noneMatch((command) -> command.startsWith("REQ ") || command.startsWith("FIN "));
		assertThat(stopped).isNotDone();
		release.countDown();
		stopped.get(10, TimeUnit.SECONDS);
		await().untilAsserted(
				() -> assertThat(nsqd.commands(0)).filteredOn((command) -> command.startsWith("FIN ")).hasSize(5));
		assertThat(nsqd.commands(0)).noneMatch((command) -> command.startsWith("REQ "));
		ConsumerStats stats = consumer.stats();
		assertThat(stats.finished()).isEqualTo(5);
		assertThat(stats.requeued()).isZero();
		assertThat(stats.inFlight()).isZero();
		assertThat(stats.connections()).isZero();
		await().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().contains("topic/ch")));
	}

	@Test
	void atTheDeadlineTheStopRequeuesWhatIsUnansweredAtOnceAndNeverFinishesIt() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of(messages(5)).inBursts());
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger interrupted = new AtomicInteger();
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.config(NsqConfig.builder().consumer((settings) -> settings.maxInFlight(5)).build())
			.nsqd(nsqd.address())
			.handler((message) -> {
				started.countDown();
				try {
					Thread.sleep(TimeUnit.MINUTES.toMillis(1));
				}
				catch (InterruptedException ex) {
					interrupted.incrementAndGet();
					throw ex;
				}
			})
			.build();
		this.closeables.add(0, consumer);
		consumer.start();
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		await().until(() -> consumer.stats().received() == 5);
		consumer.stop(Duration.ofMillis(200)).get(15, TimeUnit.SECONDS);
		// the stop completes once the REQs are written; nsqd reads them on its own time
		await().untilAsserted(() -> assertThat(nsqd.commands(0)).filteredOn((command) -> command.startsWith("REQ "))
			.hasSize(5)
			.allMatch((c) -> c.endsWith(" 0")));
		assertThat(nsqd.commands(0)).noneMatch((command) -> command.startsWith("FIN "));
		assertThat(interrupted).hasValue(1);
		ConsumerStats stats = consumer.stats();
		assertThat(stats.requeued()).isEqualTo(5);
		assertThat(stats.finished()).isZero();
		assertThat(stats.inFlight()).isZero();
	}

	private static Scripted[] messages(int count) {
		Scripted[] messages = new Scripted[count];
		for (int i = 0; i < count; i++) {
			messages[i] = Scripted.of("message00000000" + i, "m" + i);
		}
		return messages;
	}

	@Test
	void buildRejectsMissingHandlerAndAddresses() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConsumer.builder("topic", "ch").nsqd("127.0.0.1:4150").build())
			.withMessageContaining("handler");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConsumer.builder("topic", "ch").handler((message) -> {
			}).build())
			.withMessageContaining("address");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqConsumer.builder("topic", "ch").nsqd("nohost").handler((message) -> {
			}).build())
			.withMessageContaining("nohost");
	}

	private List<Long> lastRdys(List<GoldenTraceNsqd> servers) {
		List<Long> rdys = new ArrayList<>();
		for (GoldenTraceNsqd server : servers) {
			List<String> commands = server.commands(0);
			long rdy = -1;
			for (String command : commands) {
				if (command.startsWith("RDY ")) {
					rdy = Long.parseLong(command.substring(4));
				}
			}
			rdys.add(rdy);
		}
		return rdys;
	}

	private NsqConsumer consumer(NsqConfig config, MessageHandler handler, String... addresses) {
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.config(config)
			.nsqd(addresses)
			.handler(handler)
			.shutdownTimeout(Duration.ofSeconds(2))
			.build();
		this.closeables.add(0, consumer);
		return consumer;
	}

	private GoldenTraceNsqd nsqd(Script script) throws Exception {
		GoldenTraceNsqd nsqd = new GoldenTraceNsqd((index) -> script);
		this.closeables.add(nsqd);
		return nsqd;
	}

}
