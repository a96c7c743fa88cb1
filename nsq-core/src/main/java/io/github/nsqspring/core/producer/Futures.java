package io.github.nsqspring.core.producer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.NsqException;

/**
 * Waits for a publish future on behalf of the synchronous methods, rethrowing the
 * library's own exception as is.
 */
final class Futures {

	/**
	 * How long the only waiting caller busy-spins (without giving up its core) before it
	 * starts yielding. A yield is a system call; a lone caller that spins sees a quick
	 * answer sooner, and with one caller there is no other thread of ours to starve.
	 */
	private static final long BUSY_SPIN_NANOS = 30_000;

	/**
	 * Callers poll only while at most this many wait, counting those parked, and (see
	 * {@link PollAdvice}) while about as many waited on average over the last calls of
	 * their kind. Polling pays while a core is free to poll on: with fewer waiting
	 * callers than cores, a poll sees its answer without anyone having to wake it. With
	 * more, the pollers take cores from nsqd and the reader, and every yield switches to
	 * another poller whose answer has not come either: measured on 2 cores (AMD EPYC
	 * guest, 2026-12-01), 8 threads publishing synchronously spent a median of 15.5 µs of
	 * CPU per message parking at once (11 runs) and 19.2 µs polling (10 runs), at the
	 * same throughput; 1 thread published 1.4–2 times as fast polling. The average keeps
	 * a caller that finds itself alone for a moment among many (the first back after a
	 * batch of answers) from polling.
	 */
	private static final int MAX_POLLERS = Runtime.getRuntime().availableProcessors();

	/**
	 * {@code Thread.isVirtual()} of Java 21+, {@code null} on a JVM without virtual
	 * threads (the library is built for Java 17).
	 */
	private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

	/** Callers waiting in {@link #await} now. */
	private static final AtomicInteger waiters = new AtomicInteger();

	private Futures() {
	}

	/**
	 * Wait for a publish future. A caller alone (or nearly: see {@link #MAX_POLLERS})
	 * first polls the future for up to {@code spinNanos}, yielding its core between
	 * polls, and parks only after that (with a {@link PollAdvice}, only while polls end
	 * the wait sooner than parking does): a polling caller is woken by nobody, it only
	 * notices that its future completed, which spares the reader thread a futex call and
	 * the caller a context switch per answer while a core is free. With more callers
	 * waiting than cores, everyone parks at once, as polling would only take cores from
	 * nsqd and the reader. A publish's own future wakes its parked caller
	 * ({@link PendingPublish#awaitDone()}), so parking allocates nothing.
	 * <p>
	 * Virtual threads park at once: parking one only hands its carrier to another task
	 * (no wake-up of an OS thread), while each yield of a polling virtual thread unmounts
	 * and remounts it, which costs more CPU and allocates its stack.
	 * @param future the future
	 * @param spinNanos how long to poll before parking, 0 to park at once
	 * @return the result
	 */
	static <T> T await(CompletableFuture<T> future, long spinNanos) {
		return await(future, spinNanos, null);
	}

	/**
	 * Wait for a publish future, polling only while {@code advice} says polling pays: its
	 * polls get their answers, sooner than parked calls do.
	 * @param future the future
	 * @param spinNanos how long to poll before parking, 0 to park at once
	 * @param advice what polls of this kind of call achieved, {@code null} to always poll
	 * @return the result
	 */
	static <T> T await(CompletableFuture<T> future, long spinNanos, PollAdvice advice) {
		if (future.isDone()) {
			return get(future);
		}
		int waiting = waiters.incrementAndGet();
		try {
			int decision = PollAdvice.PARK_UNTIMED;
			if (spinNanos > 0 && !isVirtual(Thread.currentThread())) {
				decision = (advice != null) ? advice.decide(waiting, MAX_POLLERS)
						: ((waiting <= MAX_POLLERS) ? PollAdvice.POLL : PollAdvice.PARK_UNTIMED);
			}
			// a crowd of callers parks untimed: no clock read for them
			long start = (decision != PollAdvice.PARK_UNTIMED) ? System.nanoTime() : 0;
			if (decision == PollAdvice.POLL) {
				Poll outcome = poll(future, start, spinNanos);
				if (advice != null && outcome == Poll.ANSWERED) {
					advice.answeredWhilePolling(System.nanoTime() - start);
				}
				else if (advice != null && outcome == Poll.RAN_OUT) {
					advice.polled(false);
				}
			}
			if (future instanceof PendingPublish pending) {
				pending.awaitDone();
			}
			// a caller parked here counts as waiting too
			T result = get(future);
			if (decision == PollAdvice.PARK) {
				// capped like an answered poll, which the spin caps: a later answer would
				// have had its caller park after polling too
				advice.parked(Math.min(System.nanoTime() - start, spinNanos));
			}
			return result;
		}
		finally {
			waiters.decrementAndGet();
		}
	}

	/**
	 * Callers waiting now, polling or parked.
	 * @return the count
	 */
	static int waiting() {
		return waiters.get();
	}

	private enum Poll {

		/** The answer came while polling. */
		ANSWERED,

		/** The spin ran out first. */
		RAN_OUT,

		/** Too many pollers, or an interrupt: says nothing about the answer's timing. */
		GAVE_UP

	}

	private static Poll poll(CompletableFuture<?> future, long start, long spinNanos) {
		Thread current = Thread.currentThread();
		long busyUntil = Math.min(BUSY_SPIN_NANOS, spinNanos);
		while (!future.isDone()) {
			if (current.isInterrupted()) {
				return Poll.GAVE_UP;
			}
			int waiting = waiters.get();
			long waited = System.nanoTime() - start;
			if (waiting > MAX_POLLERS) {
				return Poll.GAVE_UP;
			}
			if (waited >= spinNanos) {
				return Poll.RAN_OUT;
			}
			if (waiting == 1 && waited < busyUntil) {
				Thread.onSpinWait();
			}
			else {
				Thread.yield();
			}
		}
		return Poll.ANSWERED;
	}

	private static MethodHandle isVirtualHandle() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
	}

	static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static <T> T get(CompletableFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			// the interrupt belongs to the caller: the publish goes on and the nsqd is
			// not considered faulty
			Thread.currentThread().interrupt();
			throw new NsqException("interrupted while waiting for nsqd's answer; the message may still be published",
					ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof NsqException nsq) {
				throw nsq;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new NsqException("publish failed: " + cause, cause);
		}
		catch (CancellationException ex) {
			throw new NsqException("publish was cancelled", ex);
		}
	}

}
