package io.github.nsqspring.core.producer;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqInvalidMessageException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.protocol.NsqErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NsqdProducerTests {

	private FakeNsqd nsqd;

	private NsqProducer producer;

	@BeforeEach
	void start() throws Exception {
		this.nsqd = new FakeNsqd();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.producer != null) {
			this.producer.close();
		}
		this.nsqd.close();
		await().untilAsserted(() -> assertThat(producerThreads()).isEmpty());
	}

	private NsqProducerBuilder builder() {
		return NsqProducer.builder()
			.nsqd(this.nsqd.address())
			.producer((producer) -> producer.closeTimeout(Duration.ofSeconds(2)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static List<Thread> producerThreads() {
		List<Thread> threads = new ArrayList<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.isAlive() && thread.getName().startsWith("nsq-reader-")) {
				threads.add(thread);
			}
		}
		return threads;
	}

	private static Throwable failureOf(CompletableFuture<?> future) {
		await().until(future::isDone);
		assertThat(future).isCompletedExceptionally();
		return future.handle((value, failure) -> failure).join();
	}

	@Test
	void publishesEveryKindAndReportsWhere() {
		this.producer = builder().build();
		PublishResult pub = this.producer.publish("orders", bytes("one"));
		PublishResult mpub = this.producer.multiPublish("orders", List.of(bytes("two"), bytes("three")));
		PublishResult dpub = this.producer.deferredPublish("orders", Duration.ofSeconds(1), bytes("four"));
		assertThat(pub).isEqualTo(new PublishResult(this.nsqd.address(), "orders", 1));
		assertThat(mpub.messageCount()).isEqualTo(2);
		assertThat(dpub.messageCount()).isEqualTo(1);
		assertThat(this.nsqd.received).extracting(FakeNsqd.Command::name).containsExactly("PUB", "MPUB", "DPUB");
		assertThat(this.nsqd.bodies()).containsExactly("one", "two", "three", "four");
		assertThat(this.nsqd.connections).hasValue(1);
	}

	@Test
	void publishesWaitingForEarlierAnswersTravelAsOneMpubInOrder() {
		this.producer = builder().build();
		this.nsqd.holdAnswers();
		CompletableFuture<PublishResult> lone = this.producer.publishAsync("t", bytes("lone"));
		List<CompletableFuture<PublishResult>> batched = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			batched.add(this.producer.publishAsync("t", bytes("b" + i)));
		}
		// a publish to another topic, and a DPUB, close the open batch first: order holds
		CompletableFuture<PublishResult> other = this.producer.publishAsync("other", bytes("o"));
		CompletableFuture<PublishResult> deferred = this.producer.deferredPublishAsync("t", Duration.ZERO, bytes("d"));
		this.nsqd.answerFreely();
		assertThat(lone.join().messageCount()).isEqualTo(1);
		assertThat(batched)
			.allSatisfy((f) -> assertThat(f.join()).isEqualTo(new PublishResult(this.nsqd.address(), "t", 1)));
		other.join();
		deferred.join();
		List<String> expected = new ArrayList<>(List.of("lone"));
		for (int i = 0; i < 20; i++) {
			expected.add("b" + i);
		}
		expected.addAll(List.of("o", "d"));
		assertThat(this.nsqd.bodies()).containsExactlyElementsOf(expected);
		assertThat(this.nsqd.received.get(0).name()).isEqualTo("PUB");
		assertThat(this.nsqd.received).extracting(FakeNsqd.Command::name).contains("MPUB");
		assertThat(this.nsqd.received.size()).isLessThan(expected.size());
	}

	@Test
	void aFatalErrorOnACoalescedMpubFailsEachOfItsCallers() {
		this.producer = builder().build();
		this.producer.publish("t", bytes("warm"));
		this.nsqd.holdAnswers();
		this.nsqd.script((command) -> command.name().equals("MPUB") ? FakeNsqd.Action.FATAL : FakeNsqd.Action.OK);
		CompletableFuture<PublishResult> lone = this.producer.publishAsync("t", bytes("lone"));
		CompletableFuture<PublishResult> batched1 = this.producer.publishAsync("t", bytes("b1"));
		CompletableFuture<PublishResult> batched2 = this.producer.publishAsync("t", bytes("b2"));
		this.nsqd.answerFreely();
		lone.join();
		assertThat(failureOf(batched1)).isInstanceOf(NsqProtocolException.class);
		assertThat(failureOf(batched2)).isInstanceOf(NsqException.class);
		this.producer.publish("t", bytes("after"));
		assertThat(this.nsqd.bodies()).containsExactly("warm", "lone", "after");
	}

	@Test
	void openBatchIsFailedAsNotPublishedWhenTheConnectionDies() {
		this.producer = builder().build();
		this.nsqd.holdAnswers();
		CompletableFuture<PublishResult> lone = this.producer.publishAsync("t", bytes("lone"));
		List<CompletableFuture<PublishResult>> rest = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			rest.add(this.producer.publishAsync("t", bytes("b" + i)));
		}
		this.nsqd.dropConnections();
		assertThat(failureOf(lone)).hasMessageContaining("may or may not");
		for (CompletableFuture<PublishResult> future : rest) {
			assertThat(failureOf(future)).isInstanceOf(NsqConnectionException.class);
		}
		this.nsqd.answerFreely();
		this.producer.publish("t", bytes("after"));
	}

	@Test
	void aPublishDoesNotWaitWhileAnotherThreadSends() throws Exception {
		this.producer = builder().build();
		this.producer.publish("t", bytes("first"));
		NsqdSession session = ((NsqdProducer) this.producer).currentSession();
		ExecutorService caller = Executors.newSingleThreadExecutor();
		session.sendLock.lock();
		CompletableFuture<PublishResult> handed;
		CompletableFuture<PublishResult> deferred;
		try {
			// a sender holds the lock (as one blocked in a socket write would): a PUB
			// is handed over and the call returns; a DPUB from the same caller waits
			handed = caller.submit(() -> this.producer.publishAsync("t", bytes("handed"))).get(10, TimeUnit.SECONDS);
			Future<CompletableFuture<PublishResult>> deferredCall = caller
				.submit(() -> this.producer.deferredPublishAsync("t", Duration.ZERO, bytes("deferred")));
			assertThat(handed).isNotDone();
			assertThat(deferredCall).isNotDone();
			session.sendLock.unlock();
			deferred = deferredCall.get(10, TimeUnit.SECONDS);
		}
		finally {
			if (session.sendLock.isHeldByCurrentThread()) {
				session.sendLock.unlock();
			}
			caller.shutdownNow();
		}
		assertThat(handed.get(10, TimeUnit.SECONDS)).isEqualTo(new PublishResult(this.nsqd.address(), "t", 1));
		deferred.get(10, TimeUnit.SECONDS);
		// the DPUB, called after the PUB was handed over, did not overtake it
		assertThat(this.nsqd.bodies()).containsExactly("first", "handed", "deferred");
		assertThat(this.nsqd.received).extracting(FakeNsqd.Command::name).containsExactly("PUB", "PUB", "DPUB");
	}

	@Test
	void publishesHandedOverWhenTheConnectionDiesFailAsNotPublished() throws Exception {
		this.producer = builder().build();
		this.producer.publish("t", bytes("first"));
		NsqdSession session = ((NsqdProducer) this.producer).currentSession();
		List<CompletableFuture<PublishResult>> handed = new ArrayList<>();
		session.sendLock.lock();
		try {
			CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 5; i++) {
					handed.add(this.producer.publishAsync("t", bytes("h" + i)));
				}
			}).get(10, TimeUnit.SECONDS);
			this.nsqd.dropConnections();
			// the reader's close waits for the lock, to fail what was handed over
			await().until(() -> !session.connection.isOpen());
		}
		finally {
			session.sendLock.unlock();
		}
		for (CompletableFuture<PublishResult> future : handed) {
			assertThat(failureOf(future)).isInstanceOf(NsqConnectionException.class)
				.hasMessageContaining("safe to retry");
		}
		this.producer.publish("t", bytes("after"));
		assertThat(this.nsqd.bodies()).containsExactly("first", "after");
	}

	@Test
	void connectsLazilyOnFirstPublish() {
		this.producer = builder().build();
		assertThat(this.nsqd.connections).hasValue(0);
		this.producer.publish("t", bytes("x"));
		assertThat(this.nsqd.connections).hasValue(1);
	}

	@Test
	void pipelinesCommandsWithoutWaitingForAnswers() {
		this.producer = builder().build();
		this.nsqd.holdAnswers();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(this.producer.publishAsync("t", bytes("m" + i)));
		}
		// nsqd read most of them while none was answered: commands do not wait for the
		// answers to earlier ones (the last few may wait in the buffer for the next
		// answer, which batches flushes under load)
		await().untilAsserted(() -> assertThat(this.nsqd.seenMessages()).isGreaterThanOrEqualTo(25));
		assertThat(futures).noneMatch(CompletableFuture::isDone);
		this.nsqd.release(50);
		CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
		assertThat(this.nsqd.connections).hasValue(1);
	}

	@Test
	void concurrentPublishersShareOneConnectionAndEveryAcknowledgedMessageArrives() throws Exception {
		this.producer = builder().build();
		int threads = 8;
		int perThread = 2000;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < perThread; i++) {
						String body = thread + "-" + i;
						if (i % 2 == 0) {
							this.producer.publish("t", bytes(body));
							acknowledged.add(body);
						}
						else {
							this.producer.publishAsync("t", bytes(body)).thenRun(() -> acknowledged.add(body));
						}
					}
				}, pool));
			}
			CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		await().untilAsserted(() -> assertThat(acknowledged).hasSize(threads * perThread));
		assertThat(this.nsqd.bodies()).containsExactlyInAnyOrderElementsOf(acknowledged);
		assertThat(this.nsqd.connections).hasValue(1);
		// per publisher, wire order is call order
		List<String> fromThread0 = this.nsqd.bodies().stream().filter((b) -> b.startsWith("0-")).toList();
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < perThread; i++) {
			expected.add("0-" + i);
		}
		assertThat(fromThread0).containsExactlyElementsOf(expected);
	}

	@Test
	void fatalErrorFailsOnlyItsCommandAndThoseBehindItAreRetriable() {
		// one PUB per publish, to see each command's fate
		this.producer = builder().producer((producer) -> producer.coalescePublishes(false)).build();
		this.nsqd.holdAnswers();
		this.nsqd.script((command) -> command.body().equals("poison") ? FakeNsqd.Action.FATAL : FakeNsqd.Action.OK);
		CompletableFuture<PublishResult> before = this.producer.publishAsync("t", bytes("before"));
		CompletableFuture<PublishResult> poison = this.producer.publishAsync("t", bytes("poison"));
		CompletableFuture<PublishResult> behind1 = this.producer.publishAsync("t", bytes("behind1"));
		CompletableFuture<PublishResult> behind2 = this.producer.publishAsync("t", bytes("behind2"));
		await().untilAsserted(() -> assertThat(this.nsqd.seen).hasSizeGreaterThanOrEqualTo(2));
		this.nsqd.answerFreely();

		assertThat(before.join().topic()).isEqualTo("t");
		assertThat(failureOf(poison)).isInstanceOfSatisfying(NsqProtocolException.class,
				(ex) -> assertThat(ex.code()).isEqualTo(NsqErrorCode.E_PUB_FAILED));
		for (CompletableFuture<PublishResult> behind : List.of(behind1, behind2)) {
			assertThat(failureOf(behind)).isExactlyInstanceOf(NsqConnectionException.class)
				.hasMessageContaining("not published")
				.hasMessageContaining("safe to retry");
		}
		// the producer reconnects and goes on
		this.producer.publish("t", bytes("after"));
		assertThat(this.nsqd.connections).hasValue(2);
		assertThat(this.nsqd.bodies()).containsExactly("before", "after");
	}

	@Test
	void connectionLossFailsPendingAsMaybePublishedAndNextPublishReconnects() {
		this.producer = builder().build();
		this.nsqd.holdAnswers();
		CompletableFuture<PublishResult> first = this.producer.publishAsync("t", bytes("a"));
		CompletableFuture<PublishResult> second = this.producer.publishAsync("t", bytes("b"));
		await().untilAsserted(() -> assertThat(this.nsqd.seen).hasSize(2));
		this.nsqd.dropConnections();
		for (CompletableFuture<PublishResult> future : List.of(first, second)) {
			assertThat(failureOf(future)).isInstanceOf(NsqConnectionException.class)
				.hasMessageContaining("may or may not have been published");
		}
		this.nsqd.answerFreely();
		this.producer.publish("t", bytes("c"));
		assertThat(this.nsqd.connections).hasValue(2);
	}

	@Test
	void deadNsqdIsRetriedWithBackoffWithoutDialingOnEveryCall() throws Exception {
		this.producer = builder()
			.producer((producer) -> producer.reconnectDelay(Duration.ofMillis(200), Duration.ofSeconds(10)))
			.build();
		this.producer.publish("t", bytes("a"));
		this.nsqd.down();
		await().untilAsserted(() -> assertThatThrownBy(() -> this.producer.publish("t", bytes("b")))
			.isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("connecting to nsqd " + this.nsqd.address() + " failed"));
		// within the delay, calls fail at once and say when the next attempt is due
		assertThatThrownBy(() -> this.producer.publish("t", bytes("c"))).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("is unavailable")
			.hasMessageContaining("retrying in");
		this.nsqd.up();
		await().pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(this.producer.publish("t", bytes("d")).topic()).isEqualTo("t"));
		assertThat(this.nsqd.bodies()).containsExactly("a", "d");
	}

	@Test
	void backoffDoublesUpToItsCap() throws Exception {
		NsqdProducer single = (NsqdProducer) builder()
			.producer((producer) -> producer.reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(300)))
			.build();
		this.producer = single;
		this.nsqd.down();
		List<String> delays = new ArrayList<>();
		for (int attempt = 0; attempt < 4; attempt++) {
			await().pollInterval(Duration.ofMillis(20)).until(single::isAvailable);
			Throwable failure = failureOf(single.publishAsync("t", bytes("x")));
			delays.add(failure.getMessage().replaceAll(".*next attempt in (\\d+)ms.*", "$1"));
		}
		assertThat(delays).map(Long::parseLong)
			.satisfiesExactly((d) -> assertThat(d).isBetween(90L, 100L), (d) -> assertThat(d).isBetween(190L, 200L),
					(d) -> assertThat(d).isBetween(290L, 300L), (d) -> assertThat(d).isBetween(290L, 300L));
	}

	@Test
	void pendingBoundMakesCallersWaitThenFail() {
		this.producer = builder()
			.producer((producer) -> producer.maxPendingCommands(2).pendingTimeout(Duration.ofMillis(200)))
			.build();
		this.nsqd.holdAnswers();
		CompletableFuture<PublishResult> first = this.producer.publishAsync("t", bytes("1"));
		CompletableFuture<PublishResult> second = this.producer.publishAsync("t", bytes("2"));
		CompletableFuture<PublishResult> third = this.producer.publishAsync("t", bytes("3"));
		assertThat(failureOf(third)).isInstanceOf(NsqTimeoutException.class)
			.hasMessageContaining("maxPendingCommands")
			.hasMessageContaining("not published");
		// a waiting caller gets in as soon as an answer frees room
		CompletableFuture<PublishResult> fourth = CompletableFuture
			.supplyAsync(() -> this.producer.publishAsync("t", bytes("4")))
			.thenCompose((f) -> f);
		this.nsqd.release(1);
		first.join();
		this.nsqd.answerFreely();
		second.join();
		fourth.join();
		assertThat(this.nsqd.bodies()).containsExactly("1", "2", "4");
	}

	@Test
	void closeWaitsForOwedAnswers() throws Exception {
		this.producer = builder().build();
		this.nsqd.holdAnswers();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			futures.add(this.producer.publishAsync("t", bytes("m" + i)));
		}
		CompletableFuture<Void> closing = CompletableFuture.runAsync(this.producer::close);
		// close sends what is still buffered, then waits for the answers
		await().untilAsserted(() -> assertThat(this.nsqd.seenMessages()).isEqualTo(5));
		// calls after close fail at once, even before it finished
		await().untilAsserted(() -> assertThat(failureOf(this.producer.publishAsync("t", bytes("late"))))
			.isInstanceOf(ProducerClosedException.class));
		assertThat(closing).isNotDone();
		this.nsqd.release(5);
		closing.get(10, TimeUnit.SECONDS);
		assertThat(futures).allMatch((f) -> f.isDone() && !f.isCompletedExceptionally());
		await().untilAsserted(() -> assertThat(producerThreads()).isEmpty());
	}

	@Test
	void closeFailsWhatIsStillOwedAfterItsTimeout() {
		this.producer = builder().producer((producer) -> producer.closeTimeout(Duration.ofMillis(100))).build();
		this.nsqd.holdAnswers();
		CompletableFuture<PublishResult> owed = this.producer.publishAsync("t", bytes("x"));
		await().untilAsserted(() -> assertThat(this.nsqd.seen).hasSize(1));
		this.producer.close();
		assertThat(failureOf(owed)).isInstanceOf(ProducerClosedException.class)
			.hasMessageContaining("may or may not have been published");
		assertThatThrownBy(() -> this.producer.publish("t", bytes("y"))).isInstanceOf(ProducerClosedException.class);
		assertThatThrownBy(this.producer::ping).isInstanceOf(ProducerClosedException.class);
		this.producer.close();
	}

	@Test
	void badInputFailsBeforeTheWireAndNeverTouchesTheConnection() {
		this.producer = builder()
			.producer((producer) -> producer.maxMessageSize(10).maxBodySize(30).maxDeferDelay(Duration.ofMinutes(1)))
			.build();
		assertThatThrownBy(() -> this.producer.publish("bad topic", bytes("x")))
			.isInstanceOf(NsqInvalidNameException.class)
			.hasMessageContaining("\"bad topic\"");
		assertThatThrownBy(() -> this.producer.publish("t", new byte[0])).isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("empty");
		assertThatThrownBy(() -> this.producer.publish("t", new byte[11]))
			.isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("11 bytes")
			.hasMessageContaining("10 bytes");
		assertThatThrownBy(() -> this.producer.multiPublish("t", List.of()))
			.isInstanceOf(NsqInvalidMessageException.class);
		assertThatThrownBy(() -> this.producer.multiPublish("t", List.of(new byte[10], new byte[10])))
			.isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("32 bytes")
			.hasMessageContaining("30 bytes");
		assertThatThrownBy(() -> this.producer.multiPublish("t", List.of(bytes("a"), new byte[0])))
			.isInstanceOf(NsqInvalidMessageException.class)
			.hasMessageContaining("message 1");
		assertThatThrownBy(() -> this.producer.deferredPublish("t", Duration.ofMinutes(2), bytes("x")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("PT2M")
			.hasMessageContaining("PT1M");
		assertThatThrownBy(() -> this.producer.deferredPublish("t", Duration.ofMillis(-1), bytes("x")))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(this.producer.publishAsync("t", null)).isCompletedExceptionally();
		// nothing was sent, not even a connection opened
		assertThat(this.nsqd.connections).hasValue(0);
		this.producer.publish("t", new byte[10]);
		assertThat(this.nsqd.connections).hasValue(1);
	}

	@Test
	void interruptedCallerFailsAloneAndNsqdStaysHealthy() throws Exception {
		this.producer = builder().build();
		this.producer.publish("t", bytes("warm"));
		this.nsqd.holdAnswers();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicReference<Boolean> flagKept = new AtomicReference<>();
		Thread caller = new Thread(() -> {
			try {
				this.producer.publish("t", bytes("interrupted"));
			}
			catch (Throwable ex) {
				thrown.set(ex);
				flagKept.set(Thread.currentThread().isInterrupted());
			}
		});
		caller.start();
		await().untilAsserted(() -> assertThat(this.nsqd.seen).hasSize(2));
		caller.interrupt();
		caller.join(10_000);
		assertThat(thrown.get()).isInstanceOf(NsqException.class).hasMessageContaining("interrupted");
		assertThat(flagKept.get()).isTrue();
		this.nsqd.answerFreely();
		// same connection, no backoff: the interrupt said nothing about nsqd
		this.producer.publish("t", bytes("after"));
		assertThat(this.nsqd.connections).hasValue(1);
		assertThat(this.nsqd.bodies()).containsExactly("warm", "interrupted", "after");
	}

	@Test
	void callerAlreadyInterruptedDoesNotMarkNsqdDown() {
		this.producer = builder().build();
		// held, so the answer cannot beat the caller's wait (an answer already there is
		// returned even to an interrupted caller: the message is published)
		this.nsqd.holdAnswers();
		Thread.currentThread().interrupt();
		try {
			assertThatThrownBy(() -> this.producer.publish("t", bytes("a"))).isInstanceOf(NsqException.class)
				.hasMessageContaining("interrupted");
		}
		finally {
			Thread.interrupted();
		}
		this.nsqd.answerFreely();
		this.producer.publish("t", bytes("b"));
		assertThat(this.nsqd.connections).hasValue(1);
		assertThat(((NsqdProducer) this.producer).isAvailable()).isTrue();
	}

	@Test
	void syncCallersStillGetLateAnswersAfterTheirSpinEnds() throws Exception {
		for (Duration spin : List.of(Duration.ZERO, Duration.ofNanos(100_000), Duration.ofMillis(10))) {
			this.producer = builder().producer((producer) -> producer.syncWaitSpin(spin)).build();
			this.producer.publish("t", bytes("warm"));
			this.nsqd.holdAnswers();
			List<Thread> callers = new ArrayList<>();
			List<PublishResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
			for (int i = 0; i < 3; i++) {
				String body = "late-" + i;
				Thread caller = new Thread(() -> results.add(this.producer.publish("t", bytes(body))));
				callers.add(caller);
				caller.start();
			}
			// past the spin every caller parks: only the reader can wake it now
			await().untilAsserted(
					() -> assertThat(callers).allMatch((caller) -> caller.getState() == Thread.State.WAITING));
			this.nsqd.answerFreely();
			for (Thread caller : callers) {
				caller.join(10_000);
			}
			assertThat(results).as("spin %s", spin).hasSize(3).allMatch((result) -> result.messageCount() == 1);
			this.producer.close();
			this.nsqd.seen.clear();
		}
	}

	@Test
	void syncWaitSpinOutOfRangeIsRejectedNamingTheValue() {
		assertThatThrownBy(() -> builder().producer((producer) -> producer.syncWaitSpin(Duration.ofNanos(-1))).build())
			.isInstanceOf(NsqConfigException.class)
			.hasMessageContaining("syncWaitSpin")
			.hasMessageContaining("PT-0.000000001S");
		assertThatThrownBy(() -> builder().producer((producer) -> producer.syncWaitSpin(Duration.ofMillis(20))).build())
			.isInstanceOf(NsqConfigException.class)
			.hasMessageContaining("syncWaitSpin must be at most 10000µs, was 20000µs");
	}

	@Test
	void callbacksRunOnTheConfiguredExecutor() throws Exception {
		ExecutorService callbacks = Executors.newSingleThreadExecutor((r) -> new Thread(r, "app-callbacks"));
		try {
			this.producer = builder().callbackExecutor(callbacks).build();
			// held, so the callback is registered before the future completes
			this.nsqd.holdAnswers();
			CompletableFuture<String> thread = this.producer.publishAsync("t", bytes("x"))
				.thenApply((r) -> Thread.currentThread().getName());
			this.nsqd.answerFreely();
			assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("app-callbacks");
		}
		finally {
			callbacks.shutdownNow();
		}
	}

	@Test
	void readerThreadIsNamedAndDaemon() {
		this.producer = builder().build();
		this.producer.publish("t", bytes("x"));
		assertThat(producerThreads()).isNotEmpty().allMatch(Thread::isDaemon);
	}

	@Test
	void pingConnectsAndSendsNop() {
		this.producer = builder().build();
		this.producer.ping();
		assertThat(this.nsqd.connections).hasValue(1);
		await().untilAsserted(() -> assertThat(this.nsqd.nops).hasValue(1));
	}

	@Test
	void manyAsyncPublishesWithSmallBoundAllComplete() {
		this.producer = builder().producer((producer) -> producer.maxPendingCommands(16)).build();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			futures.add(this.producer.publishAsync("t", bytes(Integer.toString(i))));
		}
		CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
		assertThat(this.nsqd.bodies()).hasSize(20_000).first().isEqualTo("0");
		assertThat(((NsqdProducer) this.producer).pendingCount()).isZero();
	}

	@Test
	void answeredCoalescedPublishesDoNotStayReachable() {
		this.producer = builder().build();
		List<WeakReference<CompletableFuture<PublishResult>>> answered = publishAndForget(5_000);
		assertThat(this.nsqd.received).extracting(FakeNsqd.Command::name).contains("MPUB");
		awaitCollected(answered);
	}

	@Test
	void answeredSinglePublishesDoNotStayReachable() {
		this.producer = builder().producer((producer) -> producer.coalescePublishes(false)).build();
		List<WeakReference<CompletableFuture<PublishResult>>> answered = publishAndForget(5_000);
		assertThat(this.nsqd.received).extracting(FakeNsqd.Command::name).containsOnly("PUB");
		awaitCollected(answered);
	}

	/**
	 * Publish while nsqd holds its answers (so the publishes pile up in the producer, as
	 * under load), let nsqd answer, and keep only weak references to the futures.
	 */
	private List<WeakReference<CompletableFuture<PublishResult>>> publishAndForget(int count) {
		this.nsqd.holdAnswers();
		List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			futures.add(this.producer.publishAsync("t", bytes("m" + i)));
		}
		this.nsqd.answerFreely();
		List<WeakReference<CompletableFuture<PublishResult>>> references = new ArrayList<>();
		for (CompletableFuture<PublishResult> future : futures) {
			assertThat(future.join().messageCount()).isEqualTo(1);
			references.add(new WeakReference<>(future));
		}
		return references;
	}

	private void awaitCollected(List<WeakReference<CompletableFuture<PublishResult>>> answered) {
		// the producer stays open and connected: nothing it holds may keep an answered
		// publish (and its result) reachable, or a long-running producer runs out of
		// memory
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			System.gc();
			long reachable = answered.stream().filter((reference) -> reference.get() != null).count();
			assertThat(reachable).as("answered publishes still reachable, of %d", answered.size()).isZero();
		});
		assertThat(this.producer.publish("t", bytes("after")).messageCount()).isEqualTo(1);
	}

	@Test
	void syncPublishAllocatesOnlyItsFutureOnceWarm() {
		// issue 15: in the steady state a byte[] sync publish allocates at most 64 bytes,
		// counted on the caller and on the connection's reader
		assertSyncPublishAllocatesAtMost(64, Duration.ofMillis(10));
	}

	@Test
	void syncPublishThatParksForItsAnswerAllocatesNoMore() {
		// a caller that parks at once (no spin, or many callers waiting) is woken by the
		// future itself, not through a waiting node allocated per call
		assertSyncPublishAllocatesAtMost(64, Duration.ZERO);
	}

	private void assertSyncPublishAllocatesAtMost(int bytes, Duration syncWaitSpin) {
		this.nsqd.stopRecording();
		this.producer = builder().producer((producer) -> producer.syncWaitSpin(syncWaitSpin)).build();
		byte[] body = bytes("steady state");
		for (int i = 0; i < 10_000; i++) {
			this.producer.publish("t", body);
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long reader = producerThreads().get(0).getId();
		long before = threads.getCurrentThreadAllocatedBytes() + threads.getThreadAllocatedBytes(reader);
		int publishes = 10_000;
		for (int i = 0; i < publishes; i++) {
			this.producer.publish("t", body);
		}
		long after = threads.getCurrentThreadAllocatedBytes() + threads.getThreadAllocatedBytes(reader);
		assertThat((after - before) / publishes).as("bytes allocated per sync publish").isLessThanOrEqualTo(bytes);
		// the fake counts an answer just after writing it
		await().untilAsserted(() -> assertThat(this.nsqd.answered).hasValue(2 * publishes));
	}

	@Test
	void blockingWaitForAnswerIsReleasedByClose() throws Exception {
		this.producer = builder().producer((producer) -> producer.closeTimeout(Duration.ZERO)).build();
		this.nsqd.holdAnswers();
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<Throwable> caller = CompletableFuture.supplyAsync(() -> {
			started.countDown();
			try {
				this.producer.publish("t", bytes("x"));
				return null;
			}
			catch (Throwable ex) {
				return ex;
			}
		});
		started.await();
		await().untilAsserted(() -> assertThat(this.nsqd.seen).hasSize(1));
		this.producer.close();
		assertThat(caller.get(10, TimeUnit.SECONDS)).isInstanceOf(ProducerClosedException.class);
	}

}
