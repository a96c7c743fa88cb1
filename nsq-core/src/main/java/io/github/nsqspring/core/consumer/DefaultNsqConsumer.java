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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.protocol.NsqCommand;

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
 * Threads: one reader per connection ({@code NsqConnection}) queues messages for the
 * handler workers; one scheduler thread runs the timers; one I/O thread connects and
 * queries nsqlookupd.
 */
final class DefaultNsqConsumer implements NsqConsumer {

	private static final Logger logger = LoggerFactory.getLogger(DefaultNsqConsumer.class);

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

	DefaultNsqConsumer(NsqConsumerBuilder builder, Set<NsqAddress> fixedAddresses, LookupdClient lookupd) {
		this.topic = builder.topic;
		this.channel = builder.channel;
		this.name = this.topic + "/" + this.channel;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.executors = new ConsumerExecutors(this.name);
		this.rdy = new RdyController(this.name, builder.config, this.executors);
		this.workers = new WorkerPool(this.name, builder.config, builder.handler, builder.failedMessageHandler,
				builder.concurrency, builder.executor, this.rdy);
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
		this.workers.start();
		this.rdy.start();
		this.connections.start();
	}

	@Override
	public CompletableFuture<Void> stop(Duration timeout) {
		List<ConsumerConnection> draining;
		synchronized (this.lock) {
			if (this.state == State.NEW) {
				this.state = State.STOPPED;
				this.workers.stop();
				this.stopFuture.complete(null);
				return this.stopFuture;
			}
			if (this.state != State.RUNNING) {
				return this.stopFuture;
			}
			this.state = State.STOPPING;
			this.workers.stop();
			this.rdy.stop();
			draining = this.connections.stop();
			// armed before anything can complete the stop (and shut the scheduler down)
			this.executors.schedule("stop timeout", this::finishStop, timeout.toNanos());
		}
		// CLS makes nsqd stop sending (it answers CLOSE_WAIT) while it still accepts the
		// answers of messages already delivered
		for (ConsumerConnection connection : draining) {
			try {
				connection.send(NsqCommand.cls());
			}
			catch (NsqException ex) {
				logger.debug("CLS to {} failed: {}", connection, ex.getMessage());
			}
		}
		// messages no handler has started: give them back now rather than let them time
		// out on nsqd
		this.workers.requeueUnstarted();
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
			future.get(this.shutdownTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Consumer {} did not stop cleanly", this.name, ex);
		}
	}

	/**
	 * Complete the stop once no connection is left and none is being opened.
	 */
	private void checkStopped() {
		synchronized (this.lock) {
			if (this.state != State.STOPPING) {
				return;
			}
		}
		if (this.connections.isIdle()) {
			// false: already finishing
			this.executors.execute("stop", this::finishStop);
		}
	}

	private void finishStop() {
		if (!this.finishing.compareAndSet(false, true)) {
			return;
		}
		synchronized (this.lock) {
			this.state = State.STOPPED;
		}
		for (ConsumerConnection connection : this.connections.connections()) {
			logger.warn(
					"Consumer {} stop timed out with {} message(s) in flight on {}; closing anyway (nsqd "
							+ "delivers them again after their timeout)",
					this.name, connection.inFlight.get(), connection);
			this.connections.closeConnection(connection);
		}
		this.executors.shutdownIo();
		this.workers.stopWorkers();
		this.executors.shutdownScheduler();
		logger.debug("Consumer {} stopped", this.name);
		this.stopFuture.complete(null);
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
		return new ConsumerStats(this.workers.received(), this.workers.finished(), this.workers.requeued(),
				this.workers.failed(), this.workers.inFlight(), this.connections.connectionCount(),
				this.connections.responseErrors(), this.rdy.totalRdy());
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
