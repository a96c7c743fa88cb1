package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.nsqspring.boot.test.TestNsqMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the batcher seals, queues, touches, and gives back batches when stopping.
 */
class MessageBatcherTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<List<BatchedMessage>> processed = new CopyOnWriteArrayList<>();

	private MessageBatcher batcher;

	@AfterEach
	void close() {
		if (this.batcher != null) {
			this.batcher.close();
		}
	}

	@Test
	void sealsWhenFull() {
		this.batcher = batcher(2, Duration.ofSeconds(10), Duration.ofSeconds(60), this.processed::add);
		this.batcher.add(message("a"));
		this.batcher.add(message("b"));
		this.batcher.add(message("c"));
		await().atMost(WAIT).until(() -> this.processed.size() == 1);
		assertThat(this.processed.get(0)).hasSize(2);
	}

	@Test
	void sealsAfterTheBatchTimeout() {
		this.batcher = batcher(10, Duration.ofMillis(100), Duration.ofSeconds(60), this.processed::add);
		this.batcher.add(message("a"));
		await().atMost(WAIT).until(() -> this.processed.size() == 1);
		assertThat(this.processed.get(0)).hasSize(1);
	}

	@Test
	void stoppingHandsTheFormingBatchOverToBeProcessedNotRequeued() {
		for (int i = 0; i < 50; i++) {
			List<List<BatchedMessage>> seen = new CopyOnWriteArrayList<>();
			MessageBatcher current = batcher(10, Duration.ofSeconds(10), Duration.ofSeconds(60), seen::add);
			try {
				TestNsqMessage first = new TestNsqMessage("a", 1);
				TestNsqMessage second = new TestNsqMessage("b", 1);
				current.add(new BatchedMessage(first, System.nanoTime()));
				current.add(new BatchedMessage(second, System.nanoTime()));
				current.stopping(Duration.ofSeconds(30));
				await().atMost(WAIT).until(() -> seen.size() == 1);
				assertThat(seen.get(0)).hasSize(2);
				assertThat(first.responses()).as("processed, not given back").isEmpty();
				assertThat(second.responses()).isEmpty();
			}
			finally {
				current.close();
			}
		}
	}

	@Test
	void batchesNotStartedByTheShutdownDeadlineAreRequeuedAtOnce() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		this.batcher = batcher(1, Duration.ofSeconds(10), Duration.ofSeconds(60), (batch) -> {
			entered.countDown();
			awaitQuietly(release);
		});
		TestNsqMessage running = new TestNsqMessage("running", 1);
		TestNsqMessage queued = new TestNsqMessage("queued", 1);
		this.batcher.add(new BatchedMessage(running, System.nanoTime()));
		assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		this.batcher.add(new BatchedMessage(queued, System.nanoTime()));
		this.batcher.stopping(Duration.ofMillis(200));
		await().atMost(WAIT).until(() -> queued.response() != null);
		assertThat(queued.responses()).containsExactly("REQ-NB 0");
		assertThat(running.responses()).as("the listener still has it").isEmpty();
		release.countDown();
	}

	@Test
	void queuedBatchesAreTouchedWhileTheyWait() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		this.batcher = batcher(1, Duration.ofMillis(100), Duration.ofSeconds(1), (batch) -> {
			entered.countDown();
			awaitQuietly(release);
		});
		this.batcher.add(message("running"));
		assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		TestNsqMessage waiting = new TestNsqMessage("waiting", 1);
		this.batcher.add(new BatchedMessage(waiting, System.nanoTime()));
		await().atMost(WAIT).until(() -> waiting.touches() >= 2);
		release.countDown();
	}

	@Test
	void closeEndsTheThreadsAndGivesBackWhatArrivesAfterwards() {
		this.batcher = batcher(1, Duration.ofSeconds(10), Duration.ofSeconds(60), this.processed::add);
		this.batcher.add(message("before"));
		await().atMost(WAIT).until(() -> this.processed.size() == 1);
		this.batcher.close();
		TestNsqMessage late = new TestNsqMessage("late", 1);
		this.batcher.add(new BatchedMessage(late, System.nanoTime()));
		assertThat(late.responses()).containsExactly("REQ-NB 0");
		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
			.noneMatch((name) -> name.startsWith("nsq-batch-") && name.contains("test-listener"));
	}

	private static MessageBatcher batcher(int size, Duration timeout, Duration msgTimeout,
			Consumer<List<BatchedMessage>> processor) {
		return new MessageBatcher("test-listener", size, timeout, msgTimeout, 1, null, processor);
	}

	private static BatchedMessage message(String body) {
		return new BatchedMessage(new TestNsqMessage(body, 1), System.nanoTime());
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
