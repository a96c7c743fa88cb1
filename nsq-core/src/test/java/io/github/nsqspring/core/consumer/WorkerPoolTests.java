package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConsumerConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker part on its own: messages delivered on recording connections, handlers run
 * by the pool's own threads.
 */
class WorkerPoolTests {

	private static final String ID = "0123456789abcdef";

	private WorkerPool pool;

	private RdyController rdy;

	@AfterEach
	void stopWorkers() {
		if (this.pool != null) {
			this.pool.stopWorkers(Duration.ofSeconds(5));
		}
	}

	@Test
	void quickAnswersAreWrittenUnflushedAndFlushedInBatchesAndBeforeTheWorkerWaits() {
		// every handler counts as quick and no answer as old: only the count and an empty
		// queue make a worker flush
		this.rdy = new RdyController("topic/ch", NsqConsumerConfig.defaults(), new ConsumerExecutors("topic/ch"));
		WorkerPool pool = new WorkerPool("topic/ch", NsqConsumerConfig.defaults(), (message) -> {
		}, null, 1, null, this.rdy, new WorkerPool.Batching(128, Long.MAX_VALUE, Long.MAX_VALUE));
		this.pool = pool;
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		int count = 300;
		for (int i = 0; i < count; i++) {
			connection.deliver(String.format("%016d", i), 1, "m" + i);
		}
		pool.start();
		await().until(() -> connection.finished.sum() == count);
		await().untilAsserted(() -> assertThat(connection.log()).last().isEqualTo("flush"));
		List<String> log = connection.log();
		assertThat(log).filteredOn((entry) -> entry.startsWith("write FIN ")).hasSize(count);
		// after the 128th and the 256th answer, then once the queue is empty
		assertThat(log).filteredOn("flush"::equals).hasSize(3);
		assertThat(log.indexOf("flush")).isEqualTo(128);
		assertThat(connection.inFlight.get()).isZero();
	}

	@Test
	void afterASlowHandlerTheAnswerIsFlushedAtOnce() {
		this.rdy = new RdyController("topic/ch", NsqConsumerConfig.defaults(), new ConsumerExecutors("topic/ch"));
		WorkerPool pool = new WorkerPool("topic/ch", NsqConsumerConfig.defaults(), (message) -> {
		}, null, 1, null, this.rdy, new WorkerPool.Batching(128, Long.MAX_VALUE, -1));
		this.pool = pool;
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		for (int i = 0; i < 3; i++) {
			connection.deliver(String.format("%016d", i), 1, "m" + i);
		}
		pool.start();
		await().until(() -> connection.finished.sum() == 3);
		// the first message has no slow predecessor
		assertThat(connection.log()).startsWith("write FIN 0000000000000000", "flush", "send FIN 0000000000000001",
				"send FIN 0000000000000002");
	}

	@Test
	void aFailingHandlerRequeuesWithTheAutomaticDelayAndBacksOff() {
		NsqConfig config = NsqConfig.builder()
			.consumer((consumer) -> consumer.defaultRequeueDelay(Duration.ofSeconds(2)).maxInFlight(5))
			.build();
		WorkerPool pool = pool(config, (message) -> {
			throw new IllegalStateException("fails");
		}, 1);
		RecordingConnection connection = connection(pool);
		pool.start();
		connection.deliver(ID, 3, "x");
		await().until(() -> connection.requeued.sum() == 1);
		assertThat(connection.commands("REQ")).containsExactly("REQ " + ID + " 6000");
		assertThat(this.rdy.backoffLevel()).isEqualTo(1);
		// the backoff's RDY 0 reaches nsqd before the REQ that caused it
		assertThat(connection.commands()).containsSubsequence("RDY 0", "REQ " + ID + " 6000");
	}

	@Test
	void aMessageOverMaxAttemptsGoesToTheFailedMessageHandlerInsteadOfTheHandler() {
		List<String> failed = new CopyOnWriteArrayList<>();
		List<String> handled = new CopyOnWriteArrayList<>();
		WorkerPool pool = pool(NsqConfig.builder().consumer((consumer) -> consumer.maxAttempts(5)).build(),
				(message) -> handled.add(message.idText()), (message) -> failed.add(message.idText()), 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver(ID, 6, "x");
		await().until(() -> connection.finished.sum() == 1);
		assertThat(failed).containsExactly(ID);
		assertThat(handled).isEmpty();
		assertThat(pool.failed()).isEqualTo(1);
		assertThat(connection.commands()).containsExactly("FIN " + ID);
	}

	@Test
	void aMessageWhoseFailedMessageHandlerThrowsIsRequeuedWithBackoffNotFinished() {
		NsqConfig config = NsqConfig.builder()
			.consumer((consumer) -> consumer.maxAttempts(5).maxInFlight(5).defaultRequeueDelay(Duration.ofSeconds(1)))
			.build();
		WorkerPool pool = pool(config, (message) -> {
		}, (message) -> {
			throw new IllegalStateException("dead-letter topic unavailable");
		}, 1);
		RecordingConnection connection = connection(pool);
		pool.start();
		connection.deliver(ID, 6, "x");
		await().until(() -> connection.requeued.sum() == 1);
		assertThat(connection.commands("REQ")).containsExactly("REQ " + ID + " 6000");
		assertThat(connection.commands("FIN")).isEmpty();
		assertThat(pool.failedMessageHandlerErrors()).isEqualTo(1);
		assertThat(this.rdy.backoffLevel()).isEqualTo(1);
		assertThat(connection.inFlight.get()).isZero();
	}

	@Test
	void aManualAnswerIsSentAndFlushedAtOnceAndTheFirstAnswerWins() {
		AtomicReference<NsqMessage> kept = new AtomicReference<>();
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			message.disableAutoResponse();
			kept.set(message);
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver(ID, 1, "x");
		await().until(() -> kept.get() != null);
		await().during(Duration.ofMillis(100)).until(() -> connection.commands().isEmpty());
		assertThat(connection.inFlight.get()).isEqualTo(1);
		kept.get().touch();
		kept.get().finish();
		kept.get().requeue();
		kept.get().touch();
		assertThat(connection.log()).containsExactly("send TOUCH " + ID, "send FIN " + ID);
		assertThat(kept.get().hasResponded()).isTrue();
		assertThat(connection.inFlight.get()).isZero();
		// answered: nothing is left for a stop to requeue
		assertThat(pool.requeueUnanswered((candidate) -> true, false)).isZero();
	}

	@Test
	void aMessageOfAClosedConnectionIsNotAnsweredAndLeftToNsqdsTimeout() {
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		connection.deliver(ID, 1, "x");
		connection.closed = true;
		pool.start();
		await().until(() -> connection.inFlight.get() == 0);
		assertThat(connection.commands()).isEmpty();
		assertThat(connection.finished.sum()).isZero();
		assertThat(pool.unanswerable()).isEqualTo(1);
	}

	@Test
	void aFailedWriteLeavesTheMessageToNsqdsTimeoutAndIsNotCounted() {
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		connection.refuseWrites();
		pool.start();
		connection.deliver(ID, 1, "x");
		await().until(() -> connection.inFlight.get() == 0);
		assertThat(connection.finished.sum()).isZero();
		assertThat(pool.unanswerable()).isEqualTo(1);
	}

	@Test
	void handlersRunConcurrentlyUpToTheConcurrency() throws InterruptedException {
		CountDownLatch running = new CountDownLatch(3);
		CountDownLatch release = new CountDownLatch(1);
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			running.countDown();
			release.await();
		}, 3);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		for (int i = 0; i < 4; i++) {
			connection.deliver(String.format("%016d", i), 1, "m" + i);
		}
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(connection.finished.sum()).isZero();
		release.countDown();
		await().until(() -> connection.finished.sum() == 4);
	}

	@Test
	void whileDrainingQueuedAndLateMessagesAreHandledAndEachAnswerIsFlushed() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger flushedOnAnswer = new AtomicInteger();
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			if (message.idText().equals("0000000000000000")) {
				started.countDown();
				release.await();
			}
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		connection.onAnsweredWhileClosing(flushedOnAnswer::incrementAndGet);
		pool.start();
		connection.deliver("0000000000000000", 1, "running");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		connection.deliver("0000000000000001", 1, "queued");
		pool.drain();
		connection.closing = true;
		connection.deliver("0000000000000002", 1, "late");
		release.countDown();
		await().until(() -> connection.finished.sum() == 3);
		assertThat(connection.commands()).containsExactly("FIN 0000000000000000", "FIN 0000000000000001",
				"FIN 0000000000000002");
		assertThat(connection.requeued.sum()).isZero();
		assertThat(flushedOnAnswer).hasValue(3);
	}

	@Test
	void atTheDeadlineUnstartedUnansweredAndRunningMessagesAreRequeuedAndTheRunningHandlerInterrupted()
			throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			switch (new String(message.body())) {
				case "manual" -> message.disableAutoResponse();
				case "slow" -> {
					started.countDown();
					try {
						Thread.sleep(TimeUnit.MINUTES.toMillis(1));
					}
					catch (InterruptedException ex) {
						interrupted.set(true);
						throw ex;
					}
				}
				default -> {
				}
			}
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver("manualmanualmanu", 1, "manual");
		connection.deliver("slowslowslowslow", 1, "slow");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		connection.deliver("queuedqueuedqueu", 1, "queued");
		pool.drain();
		pool.abandon();
		assertThat(pool.requeueUnanswered((candidate) -> true, true)).isEqualTo(3);
		connection.deliver("latelatelatelate", 1, "late");
		await().untilTrue(interrupted);
		await().until(() -> connection.inFlight.get() == 0);
		assertThat(connection.commands()).containsExactlyInAnyOrder("REQ manualmanualmanu 0", "REQ slowslowslowslow 0",
				"REQ queuedqueuedqueu 0", "REQ latelatelatelate 0");
		assertThat(connection.commands("FIN")).isEmpty();
		assertThat(pool.stopWorkers(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void requeueingOneConnectionsMessagesLeavesTheOthersQueued() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			started.countDown();
			release.await();
		}, 1);
		RecordingConnection leaving = new RecordingConnection("127.0.0.1:1", pool);
		RecordingConnection staying = new RecordingConnection("127.0.0.1:2", pool);
		pool.start();
		staying.deliver("0000000000000000", 1, "running");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		leaving.deliver("1111111111111111", 1, "queued");
		staying.deliver("2222222222222222", 1, "queued");
		assertThat(pool.requeueUnanswered((candidate) -> candidate == leaving, false)).isEqualTo(1);
		assertThat(leaving.commands()).containsExactly("REQ 1111111111111111 0");
		release.countDown();
		await().until(() -> staying.finished.sum() == 2);
		assertThat(staying.commands()).containsExactly("FIN 0000000000000000", "FIN 2222222222222222");
	}

	@Test
	void aHandlerThatIgnoresTheInterruptIsNamedAndTheExecutorsThreadGetsNoInterruptBack() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean interruptedAfterLoop = new AtomicBoolean(true);
		AtomicBoolean interruptedInHandler = new AtomicBoolean();
		CountDownLatch loopEnded = new CountDownLatch(1);
		Executor executor = (task) -> new Thread(() -> {
			task.run();
			interruptedAfterLoop.set(Thread.currentThread().isInterrupted());
			loopEnded.countDown();
		}, "user-executor").start();
		this.rdy = new RdyController("topic/ch", NsqConsumerConfig.defaults(), new ConsumerExecutors("topic/ch"));
		WorkerPool pool = new WorkerPool("topic/ch", NsqConsumerConfig.defaults(), (message) -> {
			started.countDown();
			// stubborn: ignores the interrupt (and leaves the thread's flag set) until
			// released
			while (release.getCount() > 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			interruptedInHandler.set(Thread.currentThread().isInterrupted());
		}, null, 1, executor, this.rdy);
		this.pool = pool;
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver(ID, 1, "x");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		pool.abandon();
		assertThat(pool.requeueUnanswered((candidate) -> true, true)).isEqualTo(1);
		assertThat(pool.stopWorkers(Duration.ofMillis(200))).hasSize(1)
			.allMatch((name) -> name.contains("user-executor"));
		release.countDown();
		assertThat(loopEnded.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(interruptedInHandler).isTrue();
		assertThat(interruptedAfterLoop).isFalse();
	}

	private RecordingConnection connection(WorkerPool pool) {
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		this.rdy.start();
		this.rdy.add(connection, 2500);
		return connection;
	}

	private WorkerPool pool(NsqConfig config, MessageHandler handler, int concurrency) {
		return pool(config, handler, null, concurrency);
	}

	private WorkerPool pool(NsqConfig config, MessageHandler handler, FailedMessageHandler failedMessageHandler,
			int concurrency) {
		this.rdy = new RdyController("topic/ch", config.consumer(), new ConsumerExecutors("topic/ch"));
		this.pool = new WorkerPool("topic/ch", config.consumer(), handler, failedMessageHandler, concurrency, null,
				this.rdy);
		return this.pool;
	}

}
