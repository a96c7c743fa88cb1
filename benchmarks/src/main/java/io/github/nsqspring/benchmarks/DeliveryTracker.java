package io.github.nsqspring.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the messages a consumer's handler saw, by the sequence number in each body: how
 * many deliveries, how many distinct messages, how many duplicates (a message seen again,
 * which at-least-once delivery allows but a run must report) and how many bodies carried
 * a number outside the run. A bit per expected message, safe for concurrent handlers.
 */
public final class DeliveryTracker {

	private final long expected;

	private final AtomicLongArray seen;

	private final LongAdder deliveries = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder foreign = new LongAdder();

	private final CountDownLatch allSeen;

	/**
	 * Create a tracker for sequence numbers {@code 0 .. expected - 1}.
	 * @param expected the number of distinct messages the run should see
	 */
	public DeliveryTracker(long expected) {
		if (expected < 1 || expected > Integer.MAX_VALUE * 32L) {
			throw new IllegalArgumentException("expected out of range: " + expected);
		}
		this.expected = expected;
		this.seen = new AtomicLongArray((int) ((expected + 63) / 64));
		this.allSeen = new CountDownLatch((int) Math.min(expected, Integer.MAX_VALUE));
	}

	/**
	 * Record one delivery.
	 * @param sequence the body's sequence number
	 * @return true when this is the first delivery of that message
	 */
	public boolean record(long sequence) {
		this.deliveries.increment();
		if (sequence < 0 || sequence >= this.expected) {
			this.foreign.increment();
			return false;
		}
		int word = (int) (sequence >>> 6);
		long bit = 1L << (sequence & 63);
		while (true) {
			long current = this.seen.get(word);
			if ((current & bit) != 0) {
				this.duplicates.increment();
				return false;
			}
			if (this.seen.compareAndSet(word, current, current | bit)) {
				this.allSeen.countDown();
				return true;
			}
		}
	}

	/**
	 * Wait until every expected message was seen at least once.
	 * @param timeout longest wait
	 * @param unit unit of the timeout
	 * @return true when all were seen
	 * @throws InterruptedException when interrupted
	 */
	public boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
		return this.allSeen.await(timeout, unit);
	}

	/**
	 * Messages the run should see.
	 * @return the count
	 */
	public long expected() {
		return this.expected;
	}

	/**
	 * Distinct messages seen so far.
	 * @return the count
	 */
	public long distinct() {
		return this.expected - this.allSeen.getCount();
	}

	/**
	 * Handler calls so far.
	 * @return the count
	 */
	public long deliveries() {
		return this.deliveries.sum();
	}

	/**
	 * Deliveries of a message already seen.
	 * @return the count
	 */
	public long duplicates() {
		return this.duplicates.sum();
	}

	/**
	 * Deliveries whose body did not belong to this run.
	 * @return the count
	 */
	public long foreign() {
		return this.foreign.sum();
	}

}
