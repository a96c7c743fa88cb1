package io.github.nsqspring.core.producer;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

	private static Method startVirtualThread() {
		try {
			return Thread.class.getMethod("startVirtualThread", Runnable.class);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}
