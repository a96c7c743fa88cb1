package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConsumerExecutorsTests {

	@Test
	void theSchedulerThreadKeepsTheJvmAliveFromTheStartAndTheIoThreadDoesNot() throws Exception {
		ConsumerExecutors executors = new ConsumerExecutors("executors-test/ch");
		executors.start();
		try {
			// before any timer is scheduled
			assertThat(thread("nsq-consumer-executors-test/ch")).isNotNull().matches((thread) -> !thread.isDaemon());
			CompletableFuture<Thread> timer = new CompletableFuture<>();
			CompletableFuture<Thread> io = new CompletableFuture<>();
			executors.schedule("test", () -> timer.complete(Thread.currentThread()), 0);
			executors.executeIo("test", () -> io.complete(Thread.currentThread()));
			assertThat(timer.get(10, TimeUnit.SECONDS).getName()).isEqualTo("nsq-consumer-executors-test/ch");
			assertThat(io.get(10, TimeUnit.SECONDS)).matches(Thread::isDaemon)
				.extracting(Thread::getName)
				.isEqualTo("nsq-consumer-io-executors-test/ch");
		}
		finally {
			executors.shutdownAndWait(Duration.ofSeconds(5));
		}
	}

	@Test
	void shutdownAndWaitEndsBothThreads() {
		ConsumerExecutors executors = new ConsumerExecutors("executors-test/ch");
		executors.start();
		executors.executeIo("test", () -> {
		});
		executors.shutdownAndWait(Duration.ofSeconds(5));
		assertThat(thread("nsq-consumer-executors-test/ch")).isNull();
		assertThat(thread("nsq-consumer-io-executors-test/ch")).isNull();
	}

	@Test
	void aFailingPeriodicTaskKeepsRunning() {
		ConsumerExecutors executors = new ConsumerExecutors("executors-test/ch");
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
			executors.shutdownAndWait(Duration.ofSeconds(5));
		}
	}

	@Test
	void workHandedOverBeforeTheStartOrAfterTheShutdownIsDropped() {
		ConsumerExecutors executors = new ConsumerExecutors("executors-test/ch");
		assertThat((Object) executors.schedule("early", () -> {
		}, 0)).isNull();
		assertThat(executors.executeIo("early", () -> {
		})).isFalse();
		executors.start();
		executors.shutdownAndWait(Duration.ofSeconds(5));
		assertThat(executors.execute("late", () -> {
		})).isFalse();
		assertThat(executors.executeIo("late", () -> {
		})).isFalse();
	}

	private static Thread thread(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(name) && thread.isAlive())
			.findFirst()
			.orElse(null);
	}

}
