package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;

/**
 * The consumer: wires its parts together and runs its lifecycle.
 * <ul>
 * <li>{@link ConnectionManager}: discovery, connecting, reconnecting, draining and
 * closing connections;</li>
 * <li>{@link RdyController}: RDY counts, redistribution and backoff;</li>
 * <li>{@link WorkerPool}: the hand-off to the handler loops, handler calls and
 * answers;</li>
 * <li>{@link ConsumerExecutors}: the scheduler and I/O threads the others share.</li>
 * </ul>
 * The stop (DESIGN decision 12) asks for nothing more (RDY 0, then CLS), lets the
 * handlers finish what was delivered, ends as soon as every delivered message is
 * answered, and at the deadline requeues (REQ 0) what is still unanswered before it
 * closes.
 */
final class DefaultNsqConsumer implements NsqConsumer {

	private static final Logger logger = LoggerFactory.getLogger(DefaultNsqConsumer.class);

	/**
	 * After the deadline: how long the requeue sweep may look for messages that were
	 * being handed to a worker at the deadline.
	 */
	private static final Duration SWEEP_GRACE = Duration.ofSeconds(1);

	/** After the deadline: how long handlers interrupted there may take to return. */
	static final Duration HANDLER_GRACE = Duration.ofSeconds(5);

	/** How long the end of a stop may wait for the I/O thread and each reader. */
	private static final Duration THREAD_GRACE = Duration.ofSeconds(3);

	/** The most a stop takes after its deadline. */
	static final Duration STOP_GRACE = SWEEP_GRACE.plus(HANDLER_GRACE).plus(THREAD_GRACE.multipliedBy(2));

	private enum State {

		NEW, RUNNING, STOPPING, STOPPED

	}

	private final String topic;

	private final String channel;

	private final String name;

	private final Duration shutdownTimeout;

	private final ConsumerExecutors executors;

	private final RdyController rdy;

	private final WorkerPool workers;

	private final ConnectionManager connections;

	private final Object lock = new Object();

	/** Guarded by lock. */
	private State state = State.NEW;

	private final AtomicBoolean finishing = new AtomicBoolean();

	private final CompletableFuture<Void> stopFuture = new CompletableFuture<>();

	/** What the stop started from, for its summary (set before the stop can finish). */
	private volatile StopStart stopStart;

	DefaultNsqConsumer(NsqConsumerBuilder builder, Set<NsqAddress> fixedAddresses, LookupdClient lookupd) {
		this.topic = builder.topic;
		this.channel = builder.channel;
		this.name = this.topic + "/" + this.channel;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.executors = new ConsumerExecutors(this.name);
		this.rdy = new RdyController(this.name, builder.config.consumer(), this.executors);
		this.workers = new WorkerPool(this.name, builder.config.consumer(), builder.handler,
				builder.failedMessageHandler, builder.concurrency, builder.executor, this.rdy);
		ConnectionManager.Settings settings = new ConnectionManager.Settings(this.topic, this.channel, builder.config,
				fixedAddresses, lookupd, builder.discoveryFilter, builder.reconnectInitial, builder.reconnectMax,
				builder.shutdownTimeout);
		this.connections = new ConnectionManager(settings, this.executors,
				new ConsumerEvents(this.name, builder.listener), this.rdy, this.workers, this::checkStopped);
	}

	// ---------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		synchronized (this.lock) {
			if (this.state != State.NEW) {
				throw new IllegalStateException("consumer " + this.name + " was already "
						+ ((this.state == State.RUNNING) ? "started" : "stopped"));
			}
			this.state = State.RUNNING;
			this.executors.start();
		}
		List<ConsumerConnection> first;
		try {
			first = this.connections.connectFirstRound();
		}
		catch (NsqException ex) {
			abortStart();
			throw ex;
		}
		this.workers.start();
		this.connections.startRunning(first);
		this.rdy.start();
	}

	/**
	 * The first round failed permanently: end everything started so far, before start()
	 * throws.
	 */
	private void abortStart() {
		synchronized (this.lock) {
			this.state = State.STOPPED;
		}
		this.rdy.stop();
		// a reconnect may have connected meanwhile; it was given no RDY
		for (ConsumerConnection connection : this.connections.stop()) {
			this.connections.closeConnection(connection);
		}
		this.executors.shutdownAndWait(THREAD_GRACE);
		this.connections.awaitReaders(THREAD_GRACE);
		this.stopFuture.complete(null);
	}

	@Override
	public CompletableFuture<Void> stop(Duration timeout) {
		List<ConsumerConnection> draining;
		synchronized (this.lock) {
			if (this.state == State.NEW) {
				this.state = State.STOPPED;
				this.stopFuture.complete(null);
				return this.stopFuture;
			}
			if (this.state != State.RUNNING) {
				return this.stopFuture;
			}
			this.state = State.STOPPING;
			this.stopStart = new StopStart(System.nanoTime(), this.connections.answerTotals(),
					this.workers.unanswerable());
			this.workers.drain();
			// RDY 0 first, then CLS: nothing more is asked for
			this.rdy.stop();
			draining = this.connections.stop();
			// armed before anything can complete the stop (and shut the scheduler down)
			this.executors.schedule("stop deadline", () -> finishStop(true), timeout.toNanos());
		}
		logger.debug("Consumer {} stops: handling the {} message(s) in flight, for up to {}", this.name,
				this.connections.answerTotals().inFlight(), timeout);
		for (ConsumerConnection connection : draining) {
			connection.sendCls();
		}
		for (ConsumerConnection connection : draining) {
			this.connections.checkDrained(connection);
		}
		checkStopped();
		return this.stopFuture;
	}

	@Override
	public CompletableFuture<Void> stopFuture() {
		return this.stopFuture;
	}

	@Override
	public void close() {
		CompletableFuture<Void> future = stop(this.shutdownTimeout);
		try {
			future.get(this.shutdownTimeout.plus(STOP_GRACE).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Consumer {} did not stop cleanly", this.name, ex);
		}
	}

	/**
	 * Finish the stop early once every connection is drained and closed and none is being
	 * opened.
	 */
	private void checkStopped() {
		synchronized (this.lock) {
			if (this.state != State.STOPPING) {
				return;
			}
		}
		if (this.connections.isIdle()) {
			// false: already finishing
			this.executors.execute("stop", () -> finishStop(false));
		}
	}

	/**
	 * The end of a stop (scheduler thread): at the deadline, requeue what is unanswered;
	 * then close what is left, wait for the threads, log the summary and complete the
	 * future.
	 */
	private void finishStop(boolean deadline) {
		if (!this.finishing.compareAndSet(false, true)) {
			return;
		}
		this.workers.abandon();
		int requeuedAtDeadline = 0;
		long sweepEnd = System.nanoTime() + SWEEP_GRACE.toNanos();
		while (true) {
			requeuedAtDeadline += this.workers.requeueUnanswered((connection) -> true, true);
			if (allAnswered() || System.nanoTime() - sweepEnd > 0) {
				break;
			}
			// a message being handed to a worker right at the deadline shows up shortly
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
		long unansweredAtClose = 0;
		for (ConsumerConnection connection : this.connections.connections()) {
			if (!connection.closed) {
				unansweredAtClose += connection.inFlight.get();
			}
			this.connections.closeConnection(connection);
		}
		synchronized (this.lock) {
			this.state = State.STOPPED;
		}
		List<String> stillRunning = this.workers.stopWorkers(HANDLER_GRACE);
		this.executors.shutdownIo(THREAD_GRACE);
		this.connections.awaitReaders(THREAD_GRACE);
		logSummary(deadline, requeuedAtDeadline, unansweredAtClose, stillRunning);
		this.executors.shutdownScheduler();
		this.stopFuture.complete(null);
	}

	private boolean allAnswered() {
		for (ConsumerConnection connection : this.connections.connections()) {
			if (!connection.closed && connection.inFlight.get() > 0) {
				return false;
			}
		}
		return true;
	}

	private void logSummary(boolean deadline, int requeuedAtDeadline, long unansweredAtClose,
			List<String> stillRunning) {
		StopStart start = this.stopStart;
		AnswerCounts.Totals totals = this.connections.answerTotals();
		long lost = this.workers.unanswerable() - start.unanswerable() + unansweredAtClose;
		StringBuilder summary = new StringBuilder();
		summary.append("Consumer ")
			.append(this.name)
			.append(" stopped in ")
			.append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start.nanos()))
			.append(" ms: ")
			.append(totals.finished() - start.totals().finished())
			.append(" message(s) finished and ")
			.append(totals.requeued() - start.totals().requeued())
			.append(" requeued during the stop");
		if (deadline && requeuedAtDeadline > 0) {
			summary.append(" (").append(requeuedAtDeadline).append(" still unanswered at the deadline, requeued)");
		}
		if (lost > 0) {
			summary.append("; ")
				.append(lost)
				.append(" left to nsqd's timeout, because their connection was lost before they could be answered");
		}
		logger.info(summary.toString());
		if (!stillRunning.isEmpty()) {
			logger.warn(
					"Consumer {} stopped with handler(s) still running after the deadline and {} more: {}; "
							+ "their messages were requeued and their outcome is ignored",
					this.name, HANDLER_GRACE, stillRunning);
		}
	}

	/**
	 * When a stop started and the counters then.
	 */
	private record StopStart(long nanos, AnswerCounts.Totals totals, long unanswerable) {
	}

	// ---------------------------------------------------------------- state

	@Override
	public void changeMaxInFlight(int maxInFlight) {
		if (maxInFlight < 0) {
			throw new IllegalArgumentException("max_in_flight must be 0 or more, was " + maxInFlight);
		}
		this.rdy.changeMaxInFlight(maxInFlight);
	}

	@Override
	public ConsumerStats stats() {
		AnswerCounts.Totals totals = this.connections.answerTotals();
		return new ConsumerStats(totals.received(), totals.finished(), totals.requeued(), this.workers.failed(),
				totals.inFlight(), this.connections.connectionCount(), this.connections.responseErrors(),
				this.rdy.totalRdy(), this.workers.failedMessageHandlerErrors(),
				this.connections.connectionStats(this.rdy.rdyCounts()));
	}

	@Override
	public boolean isStarved() {
		return this.rdy.isStarved();
	}

	@Override
	public String topic() {
		return this.topic;
	}

	@Override
	public String channel() {
		return this.channel;
	}

	/**
	 * The current max_in_flight.
	 * @return the value
	 */
	int maxInFlight() {
		return this.rdy.maxInFlight();
	}

	/**
	 * The backoff level (for tests).
	 * @return the backoff counter
	 */
	int backoffLevel() {
		return this.rdy.backoffLevel();
	}

	/**
	 * The RDY count per connection (for tests).
	 * @return address to RDY
	 */
	Map<String, Long> rdyCounts() {
		return this.rdy.rdyCounts();
	}

	@Override
	public String toString() {
		return "NsqConsumer[" + this.name + "]";
	}

}
