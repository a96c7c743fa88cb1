package io.github.nsqspring.benchmarks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * The threads that call the client in a publish scenario: platform threads, or virtual
 * threads with {@code --virtual-threads}. Each reports its allocation counter to the
 * meter as it ends, since the threads end inside the timed window.
 */
public final class Callers {

	private final ThreadFactory factory;

	private final ResourceMeter meter;

	/**
	 * Callers of one kind.
	 * @param virtual whether they are virtual threads
	 * @param meter the run's meter
	 */
	public Callers(boolean virtual, ResourceMeter meter) {
		this.factory = virtual ? VirtualThreads.factory("bench-caller") : DaemonThreads.factory("bench-caller");
		this.meter = meter;
	}

	/**
	 * Start {@code count} threads running {@code body} (with the caller's index) and wait
	 * for all of them to end.
	 * @param count how many
	 * @param body what each runs
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void runAll(int count, Body body) throws InterruptedException {
		List<Thread> threads = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int index = i;
			Thread thread = this.factory.newThread(() -> {
				try {
					body.run(index);
				}
				finally {
					this.meter.threadEnding();
				}
			});
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	/**
	 * What one caller does.
	 */
	@FunctionalInterface
	public interface Body {

		/**
		 * Run the caller.
		 * @param index the caller's index, from 0
		 */
		void run(int index);

	}

}
