package io.github.nsqspring.core.producer;

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
	 * How long a waiting caller spins before parking. nsqd answers a lone PUB over
	 * loopback in well under 100 µs; parking and being unparked by the reader thread puts
	 * two more context switches on that round trip. A short spin lets a lone caller see
	 * the answer without sleeping, but it burns a core, so it is bounded in time and done
	 * only while this caller is the only one waiting: as soon as another caller waits,
	 * both park and leave the cores to nsqd and the reader thread (with many sync callers
	 * the pipeline is full anyway and a spin only steals CPU).
	 */
	private static final long SPIN_NANOS = 30_000;

	/** Callers waiting in {@link #await} now. */
	private static final AtomicInteger waiters = new AtomicInteger();

	private Futures() {
	}

	static <T> T await(CompletableFuture<T> future) {
		if (!future.isDone()) {
			if (waiters.incrementAndGet() == 1) {
				spin(future);
			}
			try {
				return get(future);
			}
			finally {
				waiters.decrementAndGet();
			}
		}
		return get(future);
	}

	private static <T> T get(CompletableFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			// The interrupt belongs to the caller: the publish goes on and the nsqd is
			// not
			// considered faulty.
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

	private static void spin(CompletableFuture<?> future) {
		long deadline = System.nanoTime() + SPIN_NANOS;
		while (!future.isDone() && waiters.get() == 1 && System.nanoTime() - deadline < 0) {
			Thread.onSpinWait();
		}
	}

}
