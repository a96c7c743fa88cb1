package io.github.nsqspring.core.producer;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FuturesTests {

	@Test
	void virtualThreadCallersParkAtOnceInsteadOfPolling() throws Exception {
		Method startVirtualThread = startVirtualThread();
		assumeTrue(startVirtualThread != null, "virtual threads need Java 21+");
		CompletableFuture<String> answer = new CompletableFuture<>();
		AtomicReference<String> result = new AtomicReference<>();
		// with an hour of spin a polling caller would stay runnable: only parking waits
		Runnable call = () -> result.set(Futures.await(answer, TimeUnit.HOURS.toNanos(1)));
		Thread caller = (Thread) startVirtualThread.invoke(null, call);
		await().until(() -> caller.getState() == Thread.State.WAITING);
		assertThat(Futures.isVirtual(caller)).isTrue();
		answer.complete("published");
		caller.join(10_000);
		assertThat(result).hasValue("published");
	}

	@Test
	void platformThreadsPollBeforeParking() throws Exception {
		CompletableFuture<String> answer = new CompletableFuture<>();
		AtomicReference<String> result = new AtomicReference<>();
		Thread caller = new Thread(() -> result.set(Futures.await(answer, TimeUnit.HOURS.toNanos(1))));
		caller.start();
		assertThat(Futures.isVirtual(caller)).isFalse();
		await().until(() -> caller.getState() == Thread.State.RUNNABLE);
		answer.complete("published");
		caller.join(10_000);
		assertThat(result).hasValue("published");
	}

	@Test
	void withMoreCallersWaitingThanCoresEveryCallerParks() throws Exception {
		int callers = Runtime.getRuntime().availableProcessors() + 1;
		List<CompletableFuture<String>> answers = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		AtomicInteger published = new AtomicInteger();
		for (int i = 0; i < callers; i++) {
			CompletableFuture<String> answer = new CompletableFuture<>();
			answers.add(answer);
			// an hour of polling would keep a caller runnable: only parking waits
			Thread caller = new Thread(() -> {
				if (Futures.await(answer, TimeUnit.HOURS.toNanos(1)).equals("published")) {
					published.incrementAndGet();
				}
			});
			threads.add(caller);
			caller.start();
		}
		await().until(() -> threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
		answers.forEach((answer) -> answer.complete("published"));
		for (Thread thread : threads) {
			thread.join(10_000);
		}
		assertThat(published).hasValue(callers);
	}

	@Test
	void anAnswerAfterThePollRanOutMakesTheNextCallersParkAtOnce() throws Exception {
		PollAdvice advice = oneLatePollFromParking();
		CompletableFuture<String> late = new CompletableFuture<>();
		AtomicReference<String> result = new AtomicReference<>();
		Thread caller = new Thread(() -> result.set(Futures.await(late, TimeUnit.MILLISECONDS.toNanos(1), advice)));
		caller.start();
		// parked: the millisecond of polling is over
		await().until(() -> caller.getState() == Thread.State.WAITING);
		late.complete("published");
		caller.join(10_000);
		assertThat(result).hasValue("published");
		assertThat(advice.pollingPays()).isFalse();

		CompletableFuture<String> next = new CompletableFuture<>();
		Thread parking = new Thread(() -> Futures.await(next, TimeUnit.HOURS.toNanos(1), advice));
		parking.start();
		// an hour of polling would keep it runnable: it parks at once
		await().until(() -> parking.getState() == Thread.State.WAITING);
		next.complete("published");
		parking.join(10_000);
	}

	@Test
	void anAnswerWhilePollingKeepsCallersPolling() throws Exception {
		PollAdvice advice = oneLatePollFromParking();
		CompletableFuture<String> answer = new CompletableFuture<>();
		Thread caller = new Thread(() -> Futures.await(answer, TimeUnit.HOURS.toNanos(1), advice));
		caller.start();
		await().until(() -> Futures.waiting() == 1);
		answer.complete("published");
		caller.join(10_000);
		// one more late poll would stop polling, had this one not counted as answered
		advice.polled(false);
		assertThat(advice.pollingPays()).isTrue();
	}

	@Test
	void whereParkedCallsWaitAboutAsLongAsPollsALoneCallerParksAtOnceAndReportsItsWait() throws Exception {
		PollAdvice advice = new PollAdvice();
		advice.answeredWhilePolling(TimeUnit.MICROSECONDS.toNanos(80));
		advice.parked(TimeUnit.MICROSECONDS.toNanos(85));
		assertThat(advice.parkingAsFast()).isTrue();
		CompletableFuture<String> answer = new CompletableFuture<>();
		AtomicReference<String> result = new AtomicReference<>();
		Thread caller = new Thread(() -> result.set(Futures.await(answer, TimeUnit.HOURS.toNanos(1), advice)));
		caller.start();
		// an hour of polling would keep it runnable: it parks at once
		await().until(() -> caller.getState() == Thread.State.WAITING);
		answer.complete("published");
		caller.join(10_000);
		assertThat(result).hasValue("published");
		// its wait, far longer than a poll's, makes polling worth it again
		assertThat(advice.parkingAsFast()).isFalse();
	}

	/** Advice that still polls, but would park after one more late answer. */
	private static PollAdvice oneLatePollFromParking() {
		PollAdvice advice = new PollAdvice();
		PollAdvice probe = new PollAdvice();
		probe.polled(false);
		while (probe.pollingPays()) {
			advice.polled(false);
			probe.polled(false);
		}
		assertThat(advice.pollingPays()).isTrue();
		return advice;
	}

	private static Method startVirtualThread() {
		try {
			return Thread.class.getMethod("startVirtualThread", Runnable.class);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}
