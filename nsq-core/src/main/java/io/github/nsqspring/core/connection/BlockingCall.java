package io.github.nsqspring.core.connection;

/**
 * When a call that may block on a socket started, for {@link ConnectionWatchdog}: the
 * calling thread marks its start and end, the watchdog asks whether it overran its
 * timeout. Two clock reads per call, so it marks system calls, never frames or commands.
 */
final class BlockingCall {

	/** When the call under way started, with the low bit set; 0 when none is. */
	private volatile long sinceNanos;

	void begin() {
		this.sinceNanos = System.nanoTime() | 1;
	}

	void end() {
		this.sinceNanos = 0;
	}

	/**
	 * Whether the call under way has lasted longer than the timeout.
	 * @param now {@link System#nanoTime()}
	 * @param timeoutNanos the timeout
	 * @return {@code true} when it has
	 */
	boolean overran(long now, long timeoutNanos) {
		long since = this.sinceNanos;
		return since != 0 && now - since > timeoutNanos;
	}

}
