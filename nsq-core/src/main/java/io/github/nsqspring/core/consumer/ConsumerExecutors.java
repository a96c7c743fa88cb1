package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's two background threads: the scheduler ({@code nsq-consumer-<name>}) runs
 * the timers (RDY redistribution and retries, backoff, nsqlookupd polling, reconnect
 * delays, the stop deadline); the I/O thread ({@code nsq-consumer-io-<name>}) runs the
 * blocking work (connecting, nsqlookupd queries), so that a slow dial or lookup never
 * delays a timer.
 * <p>
 * The scheduler thread is the one non-daemon thread of a consumer: started with
 * {@link #start()} and ended by {@link #shutdownScheduler()} at the very end of the stop,
 * it keeps the JVM alive while the consumer runs, whatever threads run the handlers. Both
 * exist from {@link #start()} to their shutdown; work handed over before the start or
 * after the shutdown is dropped.
 * <p>
 * Every task is wrapped so that an exception is logged instead of silently cancelling a
 * periodic timer. The parts of a stopping consumer need not guard each call.
 */
final class ConsumerExecutors {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerExecutors.class);

	private final String name;

	private volatile ScheduledThreadPoolExecutor scheduler;

	private volatile ExecutorService io;

	/**
	 * The threads the executors started: an executor counts as terminated a moment before
	 * its thread ends, and a consumer that says it stopped has no thread left.
	 */
	private final List<Thread> schedulerThreads = new CopyOnWriteArrayList<>();

	private final List<Thread> ioThreads = new CopyOnWriteArrayList<>();

	ConsumerExecutors(String name) {
		this.name = name;
	}

	void start() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				threads("nsq-consumer-" + this.name, false, this.schedulerThreads));
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		// the keep-alive starts with start(), not with the first timer
		scheduler.prestartCoreThread();
		this.scheduler = scheduler;
		this.io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				threads("nsq-consumer-io-" + this.name, true, this.ioThreads));
	}

	/**
	 * Run a task on the scheduler after a delay.
	 * @return the timer, or {@code null} when the scheduler is not running
	 */
	ScheduledFuture<?> schedule(String what, Runnable task, long delayNanos) {
		return onScheduler(
				(scheduler) -> scheduler.schedule(guarded(what, task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS));
	}

	/**
	 * Run a task on the scheduler repeatedly, {@code periodNanos} after each run ended.
	 * @return the timer, or {@code null} when the scheduler is not running
	 */
	ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, long initialNanos, long periodNanos) {
		return onScheduler((scheduler) -> scheduler.scheduleWithFixedDelay(guarded(what, task), initialNanos,
				periodNanos, TimeUnit.NANOSECONDS));
	}

	/**
	 * Run a task on the scheduler repeatedly, every {@code periodNanos}.
	 * @return the timer, or {@code null} when the scheduler is not running
	 */
	ScheduledFuture<?> scheduleAtFixedRate(String what, Runnable task, long initialNanos, long periodNanos) {
		return onScheduler((scheduler) -> scheduler.scheduleAtFixedRate(guarded(what, task), initialNanos, periodNanos,
				TimeUnit.NANOSECONDS));
	}

	private ScheduledFuture<?> onScheduler(Function<ScheduledThreadPoolExecutor, ScheduledFuture<?>> submit) {
		ScheduledThreadPoolExecutor scheduler = this.scheduler;
		if (scheduler == null) {
			return null;
		}
		try {
			return submit.apply(scheduler);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/**
	 * Run a task on the scheduler now.
	 * @return {@code false} when the scheduler is not running
	 */
	boolean execute(String what, Runnable task) {
		return schedule(what, task, 0) != null;
	}

	/**
	 * Run a task on the I/O thread.
	 * @return {@code false} when the I/O thread is not running
	 */
	boolean executeIo(String what, Runnable task) {
		ExecutorService io = this.io;
		if (io == null) {
			return false;
		}
		try {
			io.execute(guarded(what, task));
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Run a task on the I/O thread, unguarded, for a caller that waits for it.
	 * @return its future
	 * @throws RejectedExecutionException when the I/O thread is shut down
	 */
	Future<?> submitIo(Runnable task) {
		return this.io.submit(task);
	}

	/**
	 * Stop the I/O thread, interrupting a lookup or a wait in progress, and wait for it
	 * to end (a dial is not interruptible: it ends within its dial timeout).
	 * @param wait the longest wait
	 * @return {@code false} when it is still running after the wait
	 */
	boolean shutdownIo(Duration wait) {
		ExecutorService io = this.io;
		if (io == null) {
			return true;
		}
		io.shutdownNow();
		return awaitEnd(io, this.ioThreads, wait);
	}

	/**
	 * Stop the scheduler. A task running now (e.g. the one calling this) completes; the
	 * thread ends right after it.
	 */
	void shutdownScheduler() {
		ScheduledThreadPoolExecutor scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	/**
	 * Stop both threads and wait for them, from a thread that is neither of them.
	 * @param wait the longest wait for each
	 */
	void shutdownAndWait(Duration wait) {
		shutdownIo(wait);
		shutdownScheduler();
		ScheduledThreadPoolExecutor scheduler = this.scheduler;
		if (scheduler != null) {
			awaitEnd(scheduler, this.schedulerThreads, wait);
		}
	}

	private static boolean awaitEnd(ExecutorService executor, List<Thread> threads, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		try {
			if (!executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return false;
			}
			for (Thread thread : threads) {
				long left = deadline - System.nanoTime();
				if (left > 0 && thread != Thread.currentThread()) {
					thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				}
			}
			return threads.stream().noneMatch((thread) -> thread.isAlive() && thread != Thread.currentThread());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private Runnable guarded(String what, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.error("{} of consumer {} failed", what, this.name, ex);
			}
		};
	}

	static void cancel(Future<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static ThreadFactory threads(String name, boolean daemon, List<Thread> started) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, (count.getAndIncrement() == 0) ? name : name + "-" + count.get());
			thread.setDaemon(daemon);
			started.add(thread);
			return thread;
		};
	}

}
