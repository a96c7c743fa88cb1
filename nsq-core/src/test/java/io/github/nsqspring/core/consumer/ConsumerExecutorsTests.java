package io.github.nsqspring.core.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsumerExecutorsTests {

	@Test
	void tasksRunOnTheNamedSchedulerAndIoThreads() throws Exception {
		ConsumerExecutors executors = new ConsumerExecutors("topic/ch");
		executors.start();
		try {
			CompletableFuture<String> timer = new CompletableFuture<>();
			CompletableFuture<String> io = new CompletableFuture<>();
			executors.schedule("test", () -> timer.complete(Thread.currentThread().getName()), 0);
			executors.executeIo("test", () -> io.complete(Thread.currentThread().getName()));
			assertThat(timer.get(10, TimeUnit.SECONDS)).isEqualTo("nsq-consumer-topic/ch");
			assertThat(io.get(10, TimeUnit.SECONDS)).isEqualTo("nsq-consumer-io-topic/ch");
		}
		finally {
			executors.shutdownIo();
			executors.shutdownScheduler();
		}
	}

	@Test
	void aFailingPeriodicTaskKeepsRunning() {
		ConsumerExecutors executors = new ConsumerExecutors("topic/ch");
		executors.start();
		try {
			AtomicInteger runs = new AtomicInteger();
			executors.scheduleWithFixedDelay("failing", () -> {
				runs.incrementAndGet();
				throw new IllegalStateException("expected by the test");
			}, 0, TimeUnit.MILLISECONDS.toNanos(5));
			await().until(() -> runs.get() >= 3);
		}
		finally {
			executors.shutdownIo();
			executors.shutdownScheduler();
		}
	}

	@Test
	void workHandedOverBeforeTheStartOrAfterTheShutdownIsDropped() {
		ConsumerExecutors executors = new ConsumerExecutors("topic/ch");
		assertThat((Object) executors.schedule("early", () -> {
		}, 0)).isNull();
		assertThat(executors.executeIo("early", () -> {
		})).isFalse();
		executors.start();
		executors.shutdownIo();
		executors.shutdownScheduler();
		assertThat(executors.execute("late", () -> {
		})).isFalse();
		assertThat(executors.executeIo("late", () -> {
		})).isFalse();
	}

}
