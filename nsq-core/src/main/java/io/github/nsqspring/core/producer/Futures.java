package io.github.nsqspring.core.producer;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.nsqspring.core.NsqException;

/**
 * Waits for a publish future on behalf of the synchronous methods, rethrowing the
 * library's own exception as is.
 */
final class Futures {

	private Futures() {
	}

	static <T> T await(CompletableFuture<T> future) {
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

}
