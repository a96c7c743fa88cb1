package io.github.nsqspring.core.consumer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A connection's messages in flight: what its reader received minus what was answered (or
 * given up). The two sides count apart, on cache lines of their own: with one counter the
 * reader's increment and the worker's decrement moved the same cache line between the
 * cores for every message (issue 15).
 * <p>
 * {@link #get()} reads the answered side first, so it is never below the true count at
 * the moment of either read: a connection is never taken for drained while an answer is
 * still to be written.
 */
final class InFlightCount {

	/** 16 longs (128 bytes) apart: never on one cache line, nor on adjacent ones. */
	private static final int RECEIVED = 7;

	private static final int ANSWERED = 23;

	private final AtomicLongArray counts = new AtomicLongArray(ANSWERED + 9);

	/**
	 * A message arrived. Called by the connection's reader only: a single writer needs no
	 * atomic increment, only a store the other threads see.
	 */
	void receive() {
		this.counts.setRelease(RECEIVED, this.counts.getPlain(RECEIVED) + 1);
	}

	/**
	 * A message was answered or given up on (any thread).
	 */
	void answered() {
		this.counts.getAndIncrement(ANSWERED);
	}

	/**
	 * Messages received.
	 * @return the count
	 */
	long receivedTotal() {
		return this.counts.get(RECEIVED);
	}

	/**
	 * Messages received and not yet answered.
	 * @return the count
	 */
	int get() {
		long answered = this.counts.get(ANSWERED);
		return (int) (this.counts.get(RECEIVED) - answered);
	}

	@Override
	public String toString() {
		return Integer.toString(get());
	}

}
