package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConsumerConfig;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * A consumer's flow control, go-nsq's: the RDY count of every connection (shares of
 * {@code max_in_flight}, capped by nsqd's {@code max_rdy_count}, their sum never above
 * {@code max_in_flight}), the periodic redistribution that keeps every connection alive
 * when there are more connections than {@code max_in_flight}, and the backoff state
 * machine driven by the answers to messages. All state is guarded by one lock of its own;
 * the only call on the message path, {@link #signal(Signal)}, takes it only while backing
 * off.
 */
final class RdyController {

	private static final Logger logger = LoggerFactory.getLogger(RdyController.class);

	private static final Duration RDY_RETRY = Duration.ofSeconds(5);

	private static final Duration RESUME_RETRY = Duration.ofSeconds(1);

	/**
	 * What the answer to a message means for backoff: FIN resumes, REQ backs off, requeue
	 * without backoff continues.
	 */
	enum Signal {

		RESUME, BACKOFF, CONTINUE

	}

	private final String name;

	private final NsqConsumerConfig config;

	private final ConsumerExecutors executors;

	private final LongSupplier clock;

	private final Object lock = new Object();

	// ---- guarded by lock

	private final List<ConsumerConnection> connections = new ArrayList<>();

	private long totalRdy;

	private int maxInFlight;

	private boolean needsRedistribution;

	private int backoffCounter;

	private boolean backoffTimerPending;

	private ScheduledFuture<?> backoffTimer;

	/** RDY is sent only once started: the first connection round ends before it. */
	private boolean started;

	private boolean stopped;

	// ---- lock-free

	/** {@code backoffCounter > 0 || backoffTimerPending}, readable without the lock. */
	private volatile boolean backoffActive;

	RdyController(String name, NsqConsumerConfig config, ConsumerExecutors executors) {
		this(name, config, executors, System::nanoTime);
	}

	/**
	 * A controller reading time from the given clock (tests pass a manual one).
	 */
	RdyController(String name, NsqConsumerConfig config, ConsumerExecutors executors, LongSupplier clock) {
		this.name = name;
		this.config = config;
		this.executors = executors;
		this.clock = clock;
		this.maxInFlight = config.getMaxInFlight();
	}

	/**
	 * Give every connection taken in so far its share, and start the redistribution
	 * timer.
	 */
	void start() {
		synchronized (this.lock) {
			if (this.stopped || this.started) {
				return;
			}
			this.started = true;
			for (ConsumerConnection connection : this.connections) {
				maybeUpdateRdy(connection);
			}
		}
		long interval = this.config.getRdyRedistributeInterval().toNanos();
		this.executors.scheduleWithFixedDelay("RDY redistribution", this::redistribute, interval, interval);
	}

	/**
	 * Take a subscribed connection into the distribution and, once started, give it its
	 * share (after shrinking the others' shares, so that it can get its own).
	 * @param connection the connection
	 * @param maxRdy nsqd's {@code max_rdy_count}
	 * @return {@code false} when the connection closed meanwhile or distribution stopped
	 */
	boolean add(ConsumerConnection connection, long maxRdy) {
		synchronized (this.lock) {
			if (this.stopped || connection.closed) {
				return false;
			}
			connection.maxRdy = maxRdy;
			connection.rdyWaitingSinceNanos = this.clock.getAsLong();
			this.connections.add(connection);
			for (ConsumerConnection other : this.connections) {
				if (other != connection) {
					maybeUpdateRdy(other);
				}
			}
			maybeUpdateRdy(connection);
			return true;
		}
	}

	/**
	 * Take a closed connection out of the distribution; the others take over its share.
	 * @param connection the connection
	 */
	void remove(ConsumerConnection connection) {
		synchronized (this.lock) {
			if (!this.connections.remove(connection)) {
				return;
			}
			long hadRdy = connection.rdy;
			boolean hadRetry = connection.rdyRetry != null;
			this.totalRdy -= connection.rdy;
			connection.rdy = 0;
			ConsumerExecutors.cancel(connection.rdyRetry);
			connection.rdyRetry = null;
			if ((hadRdy > 0 || hadRetry) && (this.connections.size() == this.maxInFlight || this.backoffCounter > 0)) {
				this.needsRedistribution = true;
			}
			// Unlike go-nsq, the remaining connections take over the closed one's share
			// now instead of keeping their smaller share until the next change.
			if (!this.stopped) {
				for (ConsumerConnection other : this.connections) {
					maybeUpdateRdy(other);
				}
			}
		}
	}

	/**
	 * Ask a connection that is about to be drained and closed for nothing more (RDY 0,
	 * marked closing); the others take over its share.
	 * @param connection the connection
	 * @return {@code false} when it was already closing
	 */
	boolean drain(ConsumerConnection connection) {
		synchronized (this.lock) {
			if (connection.closing) {
				return false;
			}
			sendRdy(connection, 0);
			connection.closing = true;
			ConsumerExecutors.cancel(connection.rdyRetry);
			connection.rdyRetry = null;
			for (ConsumerConnection other : this.connections) {
				maybeUpdateRdy(other);
			}
			return true;
		}
	}

	/**
	 * Ask for nothing more: RDY 0 on every connection, each marked closing, and no more
	 * RDY updates, backoff timers or RDY retries.
	 */
	void stop() {
		synchronized (this.lock) {
			ConsumerExecutors.cancel(this.backoffTimer);
			for (ConsumerConnection connection : this.connections) {
				ConsumerExecutors.cancel(connection.rdyRetry);
				connection.rdyRetry = null;
				sendRdy(connection, 0);
				connection.closing = true;
			}
			this.stopped = true;
		}
	}

	void changeMaxInFlight(int maxInFlight) {
		synchronized (this.lock) {
			this.maxInFlight = maxInFlight;
			for (ConsumerConnection connection : new ArrayList<>(this.connections)) {
				maybeUpdateRdy(connection);
			}
		}
	}

	// ---------------------------------------------------------------- RDY (under lock)

	private void maybeUpdateRdy(ConsumerConnection connection) {
		if (!this.started || this.backoffCounter > 0 || this.backoffTimerPending) {
			return;
		}
		updateRdy(connection, share(connection));
	}

	private long share(ConsumerConnection connection) {
		int count = 0;
		int index = -1;
		for (ConsumerConnection candidate : this.connections) {
			if (candidate == connection) {
				index = count;
			}
			if (!candidate.closing) {
				count++;
			}
		}
		return RdyMath.share(this.maxInFlight, count, Math.max(index, 0));
	}

	/**
	 * go-nsq's {@code updateRDY}, except that lowering a connection's RDY always succeeds
	 * (go-nsq refuses it while the total is above a lowered max_in_flight).
	 * @return {@code false} when the connection is closing or max_in_flight is exhausted
	 */
	private boolean updateRdy(ConsumerConnection connection, long requested) {
		if (connection.closing || connection.closed || this.stopped) {
			return false;
		}
		long count = Math.min(requested, connection.maxRdy);
		ConsumerExecutors.cancel(connection.rdyRetry);
		connection.rdyRetry = null;
		if (count <= connection.rdy) {
			sendRdy(connection, count);
			return true;
		}
		long maxPossible = this.maxInFlight - this.totalRdy + connection.rdy;
		if (maxPossible > 0 && maxPossible < count) {
			count = maxPossible;
		}
		if (maxPossible <= 0 && count > 0) {
			if (connection.rdy == 0) {
				// without this retry a connection could stay at RDY 0 forever
				long retryCount = count;
				connection.rdyRetry = this.executors.schedule("RDY retry", () -> {
					synchronized (this.lock) {
						connection.rdyRetry = null;
						updateRdy(connection, retryCount);
					}
				}, RDY_RETRY.toNanos());
			}
			return false;
		}
		sendRdy(connection, count);
		return true;
	}

	private void sendRdy(ConsumerConnection connection, long count) {
		if (count == 0 && connection.rdy == 0) {
			return;
		}
		long last = connection.rdy;
		this.totalRdy += count - last;
		connection.rdy = count;
		if (count > 0) {
			connection.lastRdyNanos = this.clock.getAsLong();
		}
		else {
			connection.rdyWaitingSinceNanos = this.clock.getAsLong();
		}
		if (count == last) {
			return;
		}
		try {
			connection.send(NsqCommand.rdy(count));
		}
		catch (NsqException ex) {
			logger.debug("RDY {} to {} failed: {}", count, connection, ex.getMessage());
		}
	}

	/**
	 * go-nsq's {@code redistributeRDY} with bounded turns. With more connections than
	 * max_in_flight (or while backing off over several), RDY is taken from idle
	 * connections (no message for {@code low_rdy_idle_timeout}, or RDY held for
	 * {@code low_rdy_timeout}) and the free slots go one at a time to connections at RDY
	 * 0.
	 * <p>
	 * Where this departs from go-nsq: go-nsq hands the free slots to connections picked
	 * at random (ones that already hold RDY among them) and takes RDY only from idle
	 * ones, so a connection can wait for a turn without bound while the others keep
	 * delivering (a measured run left one nsqd's backlog untouched for over 75 s). Here
	 * the slots go to the connections that have waited longest, and while connections
	 * wait with no slot free, a holder whose turn has lasted at least half an interval
	 * hands its RDY over, the longest-served first, even if it keeps delivering. Every
	 * connection at RDY 0 so gets a turn within {@code connections ×
	 * rdy_redistribute_interval}. A holder keeps its RDY while no other connection waits.
	 */
	void redistribute() {
		synchronized (this.lock) {
			if (this.stopped || this.backoffTimerPending) {
				return;
			}
			List<ConsumerConnection> active = activeConnections();
			if (active.isEmpty()) {
				return;
			}
			boolean inBackoff = this.backoffCounter > 0;
			if (active.size() > this.maxInFlight || (inBackoff && active.size() > 1)) {
				this.needsRedistribution = true;
			}
			if (!this.needsRedistribution) {
				return;
			}
			this.needsRedistribution = false;
			long now = this.clock.getAsLong();
			long idle = this.config.getLowRdyIdleTimeout().toNanos();
			long lowRdy = this.config.getLowRdyTimeout().toNanos();
			for (ConsumerConnection connection : active) {
				if (connection.rdy > 0
						&& (now - connection.lastMessageNanos > idle || now - connection.lastRdyNanos > lowRdy)) {
					updateRdy(connection, 0);
				}
			}
			long slots = inBackoff ? 1 : this.maxInFlight;
			List<ConsumerConnection> waiting = new ArrayList<>();
			List<ConsumerConnection> served = new ArrayList<>();
			long minTurn = this.config.getRdyRedistributeInterval().toNanos() / 2;
			for (ConsumerConnection connection : active) {
				if (connection.rdy == 0) {
					waiting.add(connection);
				}
				else if (now - connection.lastRdyNanos >= minTurn) {
					served.add(connection);
				}
			}
			waiting.sort(Comparator.comparingLong((ConsumerConnection connection) -> connection.rdyWaitingSinceNanos));
			served.sort(Comparator.comparingLong((ConsumerConnection connection) -> connection.lastRdyNanos));
			long handOver = Math.min(waiting.size() - Math.max(0, slots - this.totalRdy), served.size());
			for (int i = 0; i < handOver; i++) {
				updateRdy(served.get(i), 0);
			}
			for (ConsumerConnection connection : waiting) {
				if (slots - this.totalRdy <= 0) {
					break;
				}
				updateRdy(connection, 1);
			}
		}
	}

	private List<ConsumerConnection> activeConnections() {
		List<ConsumerConnection> active = new ArrayList<>(this.connections.size());
		for (ConsumerConnection connection : this.connections) {
			if (!connection.closing) {
				active.add(connection);
			}
		}
		return active;
	}

	// ---------------------------------------------------------------- backoff

	/**
	 * go-nsq's {@code startStopContinueBackoff}: FIN resumes, REQ backs off,
	 * requeue-without-backoff continues; while a backoff timer runs every signal is
	 * ignored.
	 */
	void signal(Signal signal) {
		if (signal != Signal.BACKOFF && !this.backoffActive) {
			// not backing off: resume and continue change nothing (the hot path)
			return;
		}
		synchronized (this.lock) {
			if (this.stopped || this.backoffTimerPending) {
				return;
			}
			boolean updated = false;
			if (signal == Signal.RESUME && this.backoffCounter > 0) {
				this.backoffCounter--;
				updated = true;
			}
			else if (signal == Signal.BACKOFF && this.config.getBackoffStrategy()
				.calculate(this.config.getBackoffMultiplier(), this.backoffCounter + 1)
				.compareTo(this.config.getMaxBackoffDuration()) <= 0) {
				this.backoffCounter++;
				updated = true;
			}
			if (this.backoffCounter == 0 && updated) {
				this.backoffActive = false;
				logger.info("Consumer {} leaves backoff", this.name);
				for (ConsumerConnection connection : new ArrayList<>(this.connections)) {
					updateRdy(connection, share(connection));
				}
			}
			else if (this.backoffCounter > 0) {
				Duration wait = RdyMath.backoff(this.config.getBackoffStrategy(), this.config.getBackoffMultiplier(),
						this.backoffCounter, this.config.getMaxBackoffDuration());
				logger.info("Consumer {} backs off for {} ms (level {})", this.name, wait.toMillis(),
						this.backoffCounter);
				startBackoffTimer(wait);
			}
		}
	}

	/**
	 * RDY 0 everywhere and a timer that resumes with one connection at RDY 1 (under
	 * lock).
	 */
	private void startBackoffTimer(Duration wait) {
		for (ConsumerConnection connection : this.connections) {
			sendRdy(connection, 0);
		}
		this.backoffTimerPending = true;
		this.backoffActive = true;
		this.backoffTimer = this.executors.schedule("backoff resume", this::resumeFromBackoff, wait.toNanos());
	}

	void resumeFromBackoff() {
		synchronized (this.lock) {
			this.backoffTimer = null;
			if (this.stopped) {
				this.backoffTimerPending = false;
				return;
			}
			List<ConsumerConnection> active = activeConnections();
			if (active.isEmpty()) {
				logger.warn("Consumer {} has no connection to resume on; backing off for {} ms", this.name,
						RESUME_RETRY.toMillis());
				startBackoffTimer(RESUME_RETRY);
				return;
			}
			// test the waters with a single message, on the connection that has waited
			// longest (go-nsq picks one at random)
			ConsumerConnection choice = Collections.min(active,
					Comparator.comparingLong((ConsumerConnection connection) -> connection.rdyWaitingSinceNanos));
			if (!updateRdy(choice, 1)) {
				logger.warn("Consumer {} could not resume with RDY 1 on {}; backing off for {} ms", this.name, choice,
						RESUME_RETRY.toMillis());
				startBackoffTimer(RESUME_RETRY);
				return;
			}
			this.backoffTimerPending = false;
			this.backoffActive = this.backoffCounter > 0;
		}
	}

	// ---------------------------------------------------------------- state

	long totalRdy() {
		synchronized (this.lock) {
			return this.totalRdy;
		}
	}

	int maxInFlight() {
		synchronized (this.lock) {
			return this.maxInFlight;
		}
	}

	int backoffLevel() {
		synchronized (this.lock) {
			return this.backoffCounter;
		}
	}

	/**
	 * The RDY count per connection.
	 * @return address to RDY, in connection order
	 */
	Map<String, Long> rdyCounts() {
		synchronized (this.lock) {
			Map<String, Long> counts = new LinkedHashMap<>();
			for (ConsumerConnection connection : this.connections) {
				counts.put(connection.addressText, connection.rdy);
			}
			return counts;
		}
	}

	/**
	 * go-nsq's {@code IsStarved}: some connection has in-flight messages at or above 85%
	 * of its RDY count.
	 * @return {@code true} when starved
	 */
	boolean isStarved() {
		synchronized (this.lock) {
			for (ConsumerConnection connection : this.connections) {
				int count = connection.inFlight.get();
				if (!connection.closing && count > 0 && count >= (long) (0.85 * connection.rdy)) {
					return true;
				}
			}
			return false;
		}
	}

}
