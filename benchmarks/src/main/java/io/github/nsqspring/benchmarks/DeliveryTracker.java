package io.github.nsqspring.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import io.github.nsqspring.benchmarks.support.ResourceMeter;

/**
 * Counts the messages a consumer's handler saw, by the sequence number in each body: how
 * many deliveries, how many distinct messages, how many duplicates (a message seen again,
 * which at-least-once delivery allows but a run must report) and how many bodies carried
 * a number outside the run. A bit per expected message, safe for concurrent handlers.
 * <p>
 * It also times the steady state: from the moment the first tenth of the messages was
 * seen to the moment all but the last tenth were. That window leaves out what is not the
 * client's throughput: connecting and the first RDY at the start, and at the end nsqd's
 * output buffer, which holds the last few messages until its flush timer fires
 * ({@code output_buffer_timeout}, 250ms by default, counted from the connection): a whole
 * run's duration then snaps to that timer and moves in 250ms steps. With a
 * {@link ResourceMeter}, the CPU and allocation counters are read at the same two moments
 * (by the handler thread that crosses each mark, once per run).
 */
public final class DeliveryTracker {

	private final long expected;

	private final AtomicLongArray seen;

	private final LongAdder deliveries = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private final LongAdder foreign = new LongAdder();

	private final AtomicLong distinct = new AtomicLong();

	/** Opens when {@link #distinct} reaches {@link #expected}. */
	private final CountDownLatch allSeen = new CountDownLatch(1);

	/**
	 * Opens when the steady state's start is recorded (time and counters): the thread
	 * that records its end waits for it, so the end is never read before the start.
	 */
	private final CountDownLatch windowOpened = new CountDownLatch(1);

	/**
	 * Opens when the steady state's end is recorded: {@link #awaitAll} waits for it, as a
	 * handler thread may still be reading the counters at the 90% mark when another one
	 * delivers the last message.
	 */
	private final CountDownLatch windowClosed = new CountDownLatch(1);

	private final long steadyFrom;

	private final long steadyTo;

	private volatile long steadyStartNanos;

	private volatile long steadyEndNanos;

	private final ResourceMeter meter;

	private volatile ResourceMeter.Snapshot steadyStartCounters;

	private volatile ResourceMeter.Snapshot steadyEndCounters;

	/**
	 * Create a tracker for sequence numbers {@code 0 .. expected - 1}.
	 * @param expected the number of distinct messages the run should see
	 */
	public DeliveryTracker(long expected) {
		this(expected, null);
	}

	/**
	 * Create a tracker for sequence numbers {@code 0 .. expected - 1} that reads the
	 * meter's counters at the start and end of the steady state.
	 * @param expected the number of distinct messages the run should see
	 * @param meter the meter, {@code null} for none
	 */
	public DeliveryTracker(long expected, ResourceMeter meter) {
		if (expected < 1 || expected > Integer.MAX_VALUE * 32L) {
			throw new IllegalArgumentException("expected out of range: " + expected);
		}
		this.expected = expected;
		this.seen = new AtomicLongArray((int) ((expected + 63) / 64));
		this.steadyFrom = expected / 10;
		this.steadyTo = expected - expected / 10;
		this.meter = meter;
		if (steadyMessages() == 0) {
			this.windowOpened.countDown();
			this.windowClosed.countDown();
		}
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
				long count = this.distinct.incrementAndGet();
				if (count == this.steadyFrom && steadyMessages() > 0) {
					this.steadyStartNanos = System.nanoTime();
					if (this.meter != null) {
						this.steadyStartCounters = this.meter.snapshot();
					}
					this.windowOpened.countDown();
				}
				else if (count == this.steadyTo && steadyMessages() > 0) {
					awaitQuietly(this.windowOpened);
					if (this.meter != null) {
						this.steadyEndCounters = this.meter.snapshot();
					}
					this.steadyEndNanos = System.nanoTime();
					this.windowClosed.countDown();
				}
				if (count == this.expected) {
					this.allSeen.countDown();
				}
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
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		return this.allSeen.await(timeout, unit)
				&& this.windowClosed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		boolean interrupted = false;
		while (true) {
			try {
				// the start's recorder is past its mark and only reading counters
				latch.await(10, TimeUnit.SECONDS);
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Distinct messages seen in the steady-state window.
	 * @return the count, 0 when the run is too short to have a window
	 */
	public long steadyMessages() {
		return (this.steadyFrom > 0 && this.steadyTo > this.steadyFrom) ? this.steadyTo - this.steadyFrom : 0;
	}

	/**
	 * How long the steady-state window lasted.
	 * @return the nanoseconds, 0 until the window was passed
	 */
	public long steadyNanos() {
		long start = this.steadyStartNanos;
		long end = this.steadyEndNanos;
		return (steadyMessages() > 0 && start != 0 && end != 0) ? end - start : 0;
	}

	/**
	 * CPU and allocation per message over the steady state.
	 * @return the usage, {@link ResourceMeter.Usage#NONE} without a meter or before the
	 * window was passed
	 */
	public ResourceMeter.Usage steadyUsage() {
		ResourceMeter.Snapshot start = this.steadyStartCounters;
		ResourceMeter.Snapshot end = this.steadyEndCounters;
		if (this.meter == null || start == null || end == null || steadyNanos() == 0) {
			return ResourceMeter.Usage.NONE;
		}
		return this.meter.usage(start, end, steadyMessages());
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
		return this.distinct.get();
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
