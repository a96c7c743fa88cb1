package io.github.nsqspring.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of durations in nanoseconds: 128 linear sub-buckets
 * per power of two, so a reported percentile is within 1% of the recorded value. Negative
 * values count as 0.
 */
public final class LatencyHistogram {

	private static final int SUB_BITS = 7;

	private static final int SUB_COUNT = 1 << SUB_BITS;

	private final AtomicLongArray counts = new AtomicLongArray((64 - SUB_BITS) * SUB_COUNT);

	private final AtomicLong total = new AtomicLong();

	private final AtomicLong max = new AtomicLong();

	/**
	 * Record one duration.
	 * @param nanos the duration in nanoseconds
	 */
	public void record(long nanos) {
		long value = Math.max(0, nanos);
		this.counts.incrementAndGet(index(value));
		this.total.incrementAndGet();
		this.max.accumulateAndGet(value, Math::max);
	}

	/**
	 * Recorded durations.
	 * @return the count
	 */
	public long count() {
		return this.total.get();
	}

	/**
	 * The largest duration recorded.
	 * @return nanoseconds, 0 when empty
	 */
	public long maxNanos() {
		return this.max.get();
	}

	/**
	 * A percentile.
	 * @param percentile between 0 and 100
	 * @return nanoseconds (within 1%), 0 when empty
	 */
	public long percentileNanos(double percentile) {
		long n = this.total.get();
		if (n == 0) {
			return 0;
		}
		if (percentile >= 100) {
			return this.max.get();
		}
		long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
		long cumulative = 0;
		for (int i = 0; i < this.counts.length(); i++) {
			cumulative += this.counts.get(i);
			if (cumulative >= rank) {
				return Math.min(valueOf(i), this.max.get());
			}
		}
		return this.max.get();
	}

	static int index(long value) {
		if (value < SUB_COUNT) {
			return (int) value;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(value);
		int shift = exponent - SUB_BITS;
		int mantissa = (int) (value >>> shift);
		return (shift + 1) * SUB_COUNT + (mantissa - SUB_COUNT);
	}

	static long valueOf(int index) {
		if (index < SUB_COUNT) {
			return index;
		}
		int shift = index / SUB_COUNT - 1;
		long mantissa = (index % SUB_COUNT) + SUB_COUNT;
		long low = mantissa << shift;
		long high = ((mantissa + 1) << shift) - 1;
		return low + (high - low) / 2;
	}

}
