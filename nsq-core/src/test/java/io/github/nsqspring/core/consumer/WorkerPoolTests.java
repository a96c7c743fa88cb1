package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.NsqConfig;

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
			this.pool.stopWorkers();
		}
	}

	@Test
	void quickAnswersAreWrittenUnflushedAndFlushedBeforeTheWorkerWaits() {
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		int count = 500;
		for (int i = 0; i < count; i++) {
			connection.deliver(String.format("%016d", i), 1, "m" + i);
		}
		pool.start();
		await().until(() -> pool.finished() == count);
		// nothing is left unflushed once the worker waits
		await().untilAsserted(() -> assertThat(connection.log()).last().isEqualTo("flush"));
		List<String> log = connection.log();
		assertThat(log).filteredOn((entry) -> entry.contains(" FIN ")).hasSize(count);
		// many answers per flush (a cold JVM's first handlers may be slow enough to be
		// flushed one by one)
		long systemCalls = log.stream().filter((entry) -> entry.equals("flush") || entry.startsWith("send ")).count();
		assertThat(systemCalls).isLessThan(count / 5);
		assertThat(pool.inFlight()).isZero();
		assertThat(connection.inFlight).hasValue(0);
	}

	@Test
	void aFailingHandlerRequeuesWithTheAutomaticDelayAndBacksOff() {
		NsqConfig config = NsqConfig.builder().defaultRequeueDelay(Duration.ofSeconds(2)).maxInFlight(5).build();
		WorkerPool pool = pool(config, (message) -> {
			throw new IllegalStateException("fails");
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		this.rdy.add(connection, 2500);
		pool.start();
		connection.deliver(ID, 3, "x");
		await().until(() -> pool.requeued() == 1);
		assertThat(connection.commands("REQ")).containsExactly("REQ " + ID + " 6000");
		assertThat(this.rdy.backoffLevel()).isEqualTo(1);
		// the backoff's RDY 0 reaches nsqd before the REQ that caused it
		assertThat(connection.commands()).containsSubsequence("RDY 0", "REQ " + ID + " 6000");
	}

	@Test
	void aMessageOverMaxAttemptsGoesToTheFailedMessageHandlerInsteadOfTheHandler() {
		List<String> failed = new CopyOnWriteArrayList<>();
		List<String> handled = new CopyOnWriteArrayList<>();
		this.rdy = new RdyController("topic/ch", NsqConfig.defaults(), new ConsumerExecutors("topic/ch"));
		WorkerPool pool = new WorkerPool("topic/ch", NsqConfig.builder().maxAttempts(5).build(),
				(message) -> handled.add(message.idText()), (message) -> failed.add(message.idText()), 1, null,
				this.rdy);
		this.pool = pool;
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver(ID, 6, "x");
		await().until(() -> pool.finished() == 1);
		assertThat(failed).containsExactly(ID);
		assertThat(handled).isEmpty();
		assertThat(pool.failed()).isEqualTo(1);
		assertThat(connection.commands()).containsExactly("FIN " + ID);
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
		assertThat(pool.inFlight()).isEqualTo(1);
		kept.get().touch();
		kept.get().finish();
		kept.get().requeue();
		kept.get().touch();
		assertThat(connection.log()).containsExactly("send TOUCH " + ID, "send FIN " + ID);
		assertThat(kept.get().hasResponded()).isTrue();
		assertThat(pool.inFlight()).isZero();
	}

	@Test
	void aMessageOfAClosedConnectionIsNotAnswered() {
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		connection.deliver(ID, 1, "x");
		connection.closed = true;
		pool.start();
		await().until(() -> pool.inFlight() == 0);
		assertThat(connection.commands()).isEmpty();
		assertThat(pool.finished()).isZero();
	}

	@Test
	void aFailedWriteLeavesTheMessageToNsqdsTimeoutAndIsNotCounted() {
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		connection.refuseWrites();
		pool.start();
		connection.deliver(ID, 1, "x");
		await().until(() -> pool.inFlight() == 0);
		assertThat(pool.finished()).isZero();
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
		assertThat(pool.finished()).isZero();
		release.countDown();
		await().until(() -> pool.finished() == 4);
	}

	@Test
	void onStopUnstartedAndLateMessagesGoBackAtOnce() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WorkerPool pool = pool(NsqConfig.defaults(), (message) -> {
			started.countDown();
			release.await();
		}, 1);
		RecordingConnection connection = new RecordingConnection("127.0.0.1:1", pool);
		pool.start();
		connection.deliver("0000000000000000", 1, "running");
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		connection.deliver("0000000000000001", 1, "queued");
		pool.stop();
		pool.requeueUnstarted();
		connection.deliver("0000000000000002", 1, "late");
		assertThat(connection.commands()).containsExactly("REQ 0000000000000001 0", "REQ 0000000000000002 0");
		release.countDown();
		await().until(() -> pool.finished() == 1);
		assertThat(pool.requeued()).isEqualTo(2);
	}

	private WorkerPool pool(NsqConfig config, MessageHandler handler, int concurrency) {
		this.rdy = new RdyController("topic/ch", config, new ConsumerExecutors("topic/ch"));
		this.pool = new WorkerPool("topic/ch", config, handler, null, concurrency, null, this.rdy);
		return this.pool;
	}

}
