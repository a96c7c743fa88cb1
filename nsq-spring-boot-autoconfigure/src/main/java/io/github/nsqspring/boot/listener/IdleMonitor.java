package io.github.nsqspring.boot.listener;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tells when a container has had no message for an interval, and again after each further
 * interval, on a daemon thread {@code nsq-idle-<listenerId>} that lives until
 * {@link #stop()}.
 *
 * @author nsq-spring
 */
final class IdleMonitor {

	private final ScheduledExecutorService executor;

	private volatile long lastMessageNanos = System.nanoTime();

	private volatile boolean idle;

	private long lastEventNanos;

	/**
	 * Start watching.
	 * @param listenerId the container's id, for the thread name
	 * @param interval time without messages that counts as idle
	 * @param active whether the container runs (no idle events otherwise)
	 * @param onIdle called with the time since the last message, on the monitor thread
	 */
	IdleMonitor(String listenerId, Duration interval, BooleanSupplier active, Consumer<Duration> onIdle) {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "nsq-idle-" + listenerId);
			thread.setDaemon(true);
			return thread;
		});
		long intervalNanos = interval.toNanos();
		long period = Math.max(intervalNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
		this.executor.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			long idleNanos = now - this.lastMessageNanos;
			if (active.getAsBoolean() && idleNanos >= intervalNanos
					&& (!this.idle || now - this.lastEventNanos >= intervalNanos)) {
				this.idle = true;
				this.lastEventNanos = now;
				onIdle.accept(Duration.ofNanos(idleNanos));
			}
		}, period, period, TimeUnit.NANOSECONDS);
	}

	/**
	 * A message arrived.
	 * @return {@code true} when this ends an idle period
	 */
	boolean markActive() {
		this.lastMessageNanos = System.nanoTime();
		if (this.idle) {
			this.idle = false;
			return true;
		}
		return false;
	}

	/**
	 * Stop watching; the thread ends.
	 */
	void stop() {
		this.executor.shutdownNow();
	}

}
