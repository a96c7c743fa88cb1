package io.github.nsqspring.benchmarks.support;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What this machine charges for waking a parked platform thread: two threads hand a turn
 * back and forth with {@link LockSupport#park()} and {@link LockSupport#unpark(Thread)}
 * and do nothing else, so each hand-off is one wake-up, one sleep and the context switch
 * between them. A synchronous call from a platform thread pays one hand-off (the caller
 * sleeps until the reader wakes it), whatever the client: the floor under the CPU per
 * message of {@code pub-sync} from platform threads. No nsqd is involved.
 * <p>
 * {@code java -cp nsq-spring-benchmarks.jar io.github.nsqspring.benchmarks.support.HandOffCost [hand-offs]}
 */
public final class HandOffCost {

	private HandOffCost() {
	}

	/**
	 * Three rounds (the first two warm the JIT up), one result line each.
	 * @param args the hand-offs per round (default 600,000)
	 * @throws InterruptedException when interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		long handOffs = (args.length > 0) ? Long.parseLong(args[0]) : 600_000;
		for (int round = 1; round <= 3; round++) {
			print(System.out, round, measure(handOffs));
		}
	}

	static void print(PrintStream out, int round, Result result) {
		out.printf(Locale.ROOT, "RESULT round=%d hand_offs=%d wall_us_per_hand_off=%.2f cpu_us_per_hand_off=%.2f%n",
				round, result.handOffs(), result.wallNanos() / 1e3 / result.handOffs(),
				result.cpuNanos() / 1e3 / result.handOffs());
	}

	/**
	 * Hand the turn back and forth {@code handOffs} times.
	 * @param handOffs how many hand-offs (even: each thread takes half)
	 * @return what it took
	 * @throws InterruptedException when interrupted
	 * @throws IllegalArgumentException when {@code handOffs} is odd or less than 2
	 */
	static Result measure(long handOffs) throws InterruptedException {
		if (handOffs < 2 || handOffs % 2 != 0) {
			throw new IllegalArgumentException("hand-offs must be an even number of at least 2, not " + handOffs);
		}
		AtomicInteger turn = new AtomicInteger();
		Thread[] threads = new Thread[2];
		long[] taken = new long[2];
		for (int i = 0; i < 2; i++) {
			int self = i;
			threads[i] = new Thread(() -> {
				Thread other = threads[1 - self];
				for (long n = 0; n < handOffs / 2; n++) {
					while (turn.get() != self) {
						LockSupport.park(turn);
					}
					taken[self]++;
					turn.set(1 - self);
					LockSupport.unpark(other);
				}
			}, "hand-off-" + i);
		}
		ResourceMeter meter = ResourceMeter.create(OptionalLong.empty());
		ResourceMeter.Snapshot before = meter.snapshot();
		threads[0].start();
		threads[1].start();
		threads[0].join();
		threads[1].join();
		ResourceMeter.Snapshot after = meter.snapshot();
		return new Result(taken[0] + taken[1], after.nanoTime() - before.nanoTime(),
				after.cpuNanos() - before.cpuNanos());
	}

	/**
	 * One round.
	 *
	 * @param handOffs the turns taken
	 * @param wallNanos how long the round took
	 * @param cpuNanos the process's CPU time over the round
	 */
	record Result(long handOffs, long wallNanos, long cpuNanos) {
	}

}
