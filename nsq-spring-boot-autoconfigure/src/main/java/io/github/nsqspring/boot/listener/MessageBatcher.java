package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * Gathers the messages of a batch listener into batches and hands them to
 * {@code concurrency} listener loops.
 * <ul>
 * <li>A batch is sealed when it holds {@code batchSize} messages or when its first
 * message has waited {@code batchTimeout}, whichever comes first.</li>
 * <li>Sealed batches wait in a queue for a free listener loop. Since the container checks
 * that the batch timeout is below half of {@code msg_timeout}, a forming batch never
 * holds a message long enough to time out; queued batches are touched every quarter of
 * {@code msg_timeout}, and a batch whose oldest message is older than half of
 * {@code msg_timeout} is touched once more right before the listener gets it.</li>
 * <li>Stopping seals the forming batch at once, and from then on every message is handed
 * on as it comes; batches no loop has started by the deadline are requeued at once (REQ 0
 * without backoff), so nothing is left to time out on nsqd.</li>
 * </ul>
 * Thread names: {@code nsq-batch-<listenerId>-N} for the listener loops (unless an
 * executor is given) and {@code nsq-batch-timer-<listenerId>} for the timer; all are gone
 * after {@link #close()}.
 *
 * @author nsq-spring
 */
final class MessageBatcher {

	private static final LogAccessor logger = new LogAccessor(MessageBatcher.class);

	/** How long {@link #close()} waits for the timer and the listener loops. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Batch POISON = new Batch(List.of(), 0);

	private final String listenerId;

	private final int batchSize;

	private final long batchTimeoutNanos;

	private final long msgTimeoutNanos;

	private final Consumer<List<BatchedMessage>> processor;

	private final ReentrantLock lock = new ReentrantLock();

	private final LinkedBlockingQueue<Batch> ready = new LinkedBlockingQueue<>();

	private final ScheduledThreadPoolExecutor timer;

	/** The timer's and the listener loops' threads (when no executor was given). */
	private final List<Thread> ownThreads = new CopyOnWriteArrayList<>();

	private final int loops;

	private List<BatchedMessage> forming = new ArrayList<>();

	private long formingSince;

	private @Nullable ScheduledFuture<?> sealTask;

	private volatile boolean stopping;

	private volatile long requeueDeadlineNanos;

	private volatile boolean closed;

	/**
	 * Create a batcher and start its listener loops.
	 * @param listenerId the listener id, for thread names and logs
	 * @param batchSize the most messages per batch
	 * @param batchTimeout the longest wait for a batch to fill
	 * @param msgTimeout the consumer's in-flight timeout
	 * @param concurrency the number of listener loops
	 * @param executor runs the listener loops, or {@code null} for threads of its own
	 * @param processor handles one batch (never throws)
	 */
	MessageBatcher(String listenerId, int batchSize, Duration batchTimeout, Duration msgTimeout, int concurrency,
			@Nullable Executor executor, Consumer<List<BatchedMessage>> processor) {
		this.listenerId = listenerId;
		this.batchSize = batchSize;
		this.batchTimeoutNanos = batchTimeout.toNanos();
		this.msgTimeoutNanos = msgTimeout.toNanos();
		this.processor = processor;
		this.loops = concurrency;
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "nsq-batch-timer-" + listenerId);
			thread.setDaemon(true);
			// joined by close: an executor counts as terminated just before its thread
			// has ended
			this.ownThreads.add(thread);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		long touchPeriod = Math.max(this.msgTimeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(100));
		this.timer.scheduleAtFixedRate(this::touchQueued, touchPeriod, touchPeriod, TimeUnit.NANOSECONDS);
		AtomicInteger counter = new AtomicInteger();
		for (int i = 0; i < concurrency; i++) {
			if (executor != null) {
				executor.execute(this::loop);
			}
			else {
				Thread thread = new Thread(this::loop, "nsq-batch-" + listenerId + "-" + counter.incrementAndGet());
				thread.setDaemon(true);
				this.ownThreads.add(thread);
				thread.start();
			}
		}
	}

	/**
	 * Add a message to the forming batch (called by the consumer's handler thread).
	 * @param message the message, its automatic answer disabled
	 */
	void add(BatchedMessage message) {
		this.lock.lock();
		try {
			if (this.closed) {
				// the consumer stopped under us: give the message back at once
				requeueUnprocessed(message);
				return;
			}
			this.forming.add(message);
			if (this.forming.size() == 1) {
				this.formingSince = message.receivedNanos();
				if (!this.stopping) {
					List<BatchedMessage> batch = this.forming;
					this.sealTask = this.timer.schedule(() -> sealIfStill(batch), this.batchTimeoutNanos,
							TimeUnit.NANOSECONDS);
				}
			}
			if (this.stopping || this.forming.size() >= this.batchSize) {
				seal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void sealIfStill(List<BatchedMessage> batch) {
		this.lock.lock();
		try {
			if (this.forming == batch && !batch.isEmpty()) {
				seal();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Hand the forming batch to the listener loops (lock held). */
	private void seal() {
		ScheduledFuture<?> task = this.sealTask;
		if (task != null) {
			task.cancel(false);
			this.sealTask = null;
		}
		this.ready.add(new Batch(this.forming, this.formingSince));
		this.forming = new ArrayList<>();
	}

	/**
	 * Stop waiting for batches to fill: seal the forming batch now and hand every later
	 * message on at once. Batches still queued at the deadline are requeued.
	 * @param shutdownTimeout the container's shutdown timeout
	 */
	void stopping(Duration shutdownTimeout) {
		// a little before the consumer's own deadline, while the connections are open;
		// set before the loops can see the stop
		long timeout = shutdownTimeout.toNanos();
		long margin = Math.min(timeout / 10, TimeUnit.MILLISECONDS.toNanos(500));
		long delay = Math.max(0, timeout - margin);
		this.requeueDeadlineNanos = System.nanoTime() + delay;
		this.lock.lock();
		try {
			this.stopping = true;
			if (!this.forming.isEmpty()) {
				seal();
			}
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.timer.schedule(this::requeueQueued, delay, TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			logger.debug(ex, () -> "Batcher of '" + this.listenerId + "' already closed");
		}
	}

	/**
	 * End the listener loops once the queue is empty, and the timer. Batches still queued
	 * are requeued.
	 */
	void close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (!this.forming.isEmpty()) {
				seal();
			}
		}
		finally {
			this.lock.unlock();
		}
		requeueQueued();
		for (int i = 0; i < this.loops; i++) {
			this.ready.add(POISON);
		}
		this.timer.shutdownNow();
		// bounded as a whole: a listener still running at the deadline is not waited for
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		try {
			this.timer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			for (Thread thread : this.ownThreads) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left > 0) {
					thread.join(left);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void loop() {
		try {
			while (true) {
				Batch batch = this.ready.take();
				if (batch == POISON) {
					return;
				}
				if (this.stopping && System.nanoTime() - this.requeueDeadlineNanos >= 0) {
					batch.messages.forEach(MessageBatcher::requeueUnprocessed);
					continue;
				}
				if (System.nanoTime() - batch.oldestNanos > this.msgTimeoutNanos / 2) {
					batch.touch();
				}
				this.processor.accept(batch.messages);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void touchQueued() {
		for (Batch batch : this.ready) {
			batch.touch();
		}
	}

	private void requeueQueued() {
		List<Batch> unstarted = new ArrayList<>();
		this.ready.drainTo(unstarted);
		int count = 0;
		for (Batch batch : unstarted) {
			if (batch == POISON) {
				this.ready.add(POISON);
				continue;
			}
			for (BatchedMessage message : batch.messages) {
				requeueUnprocessed(message);
				count++;
			}
		}
		if (count > 0) {
			int requeued = count;
			logger.info(() -> "Listener '" + this.listenerId + "' requeued " + requeued
					+ " message(s) of batches not started before the shutdown deadline");
		}
	}

	private static void requeueUnprocessed(BatchedMessage message) {
		if (!message.hasResponded()) {
			message.requeueWithoutBackoff(Duration.ZERO);
		}
	}

	/**
	 * A sealed batch.
	 */
	private static final class Batch {

		final List<BatchedMessage> messages;

		final long oldestNanos;

		Batch(List<BatchedMessage> messages, long oldestNanos) {
			this.messages = messages;
			this.oldestNanos = oldestNanos;
		}

		void touch() {
			for (BatchedMessage message : this.messages) {
				message.touch();
			}
		}

	}

}
