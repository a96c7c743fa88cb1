package io.github.nsqspring.core.consumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.RdyController.Signal;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * A consumer's handler side: the hand-off from the connections' readers to
 * {@code concurrency} handler loops (a lock-free {@link DeliveryQueue}), the handler
 * calls with go-nsq's attempts and automatic requeue rules, and the single answer (FIN,
 * REQ) of every message.
 * <p>
 * Hot path: a worker answers a message whose handler returned quickly by writing FIN into
 * the connection's buffer without flushing; it flushes before it waits for the next
 * message, after {@value #MAX_UNFLUSHED} answers, or when the oldest unflushed answer is
 * older than {@value #MAX_UNFLUSHED_MICROS} µs when the next message starts. Many FINs
 * then share one system call, as nsqd's own bench_reader does.
 */
final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	static final int MAX_UNFLUSHED = 128;

	static final long MAX_UNFLUSHED_MICROS = 1000;

	/**
	 * A handler slower than this answers with an immediate flush: batching gains nothing.
	 */
	private static final long SLOW_HANDLER_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	private static final Delivery POISON = new Delivery(null, null, null);

	private final String name;

	private final NsqConfig config;

	private final MessageHandler handler;

	private final FailedMessageHandler failedMessageHandler;

	private final int concurrency;

	private final Executor userExecutor;

	private final RdyController rdy;

	private final DeliveryQueue queue = new DeliveryQueue();

	private final LongAdder received = new LongAdder();

	private final LongAdder finished = new LongAdder();

	private final LongAdder requeued = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder inFlight = new LongAdder();

	private final List<Thread> workerThreads = new ArrayList<>();

	private volatile boolean stopping;

	WorkerPool(String name, NsqConfig config, MessageHandler handler, FailedMessageHandler failedMessageHandler,
			int concurrency, Executor userExecutor, RdyController rdy) {
		this.name = name;
		this.config = config;
		this.handler = handler;
		this.failedMessageHandler = (failedMessageHandler != null) ? failedMessageHandler : this::logFailedMessage;
		this.concurrency = concurrency;
		this.userExecutor = userExecutor;
		this.rdy = rdy;
	}

	/**
	 * Start the handler loops: on the user's executor, or on {@code concurrency} daemon
	 * threads named {@code nsq-handler-<name>-N}.
	 */
	void start() {
		for (int i = 0; i < this.concurrency; i++) {
			Worker worker = new Worker();
			if (this.userExecutor != null) {
				this.userExecutor.execute(worker);
			}
			else {
				Thread thread = new Thread(worker, "nsq-handler-" + this.name + "-" + (i + 1));
				thread.setDaemon(true);
				this.workerThreads.add(thread);
				thread.start();
			}
		}
	}

	/**
	 * A message frame (reader thread): queue it for a handler, or give it back at once
	 * while stopping.
	 */
	void onMessage(ConsumerConnection connection, Frame.Message frame) {
		this.received.increment();
		this.inFlight.increment();
		connection.inFlight.incrementAndGet();
		connection.lastMessageNanos = System.nanoTime();
		Delivery delivery = new Delivery(this, connection, frame);
		if (this.stopping) {
			requeueUnhandled(delivery);
			return;
		}
		this.queue.offer(delivery);
	}

	/**
	 * From now on, messages that arrive are given back at once.
	 */
	void stop() {
		this.stopping = true;
	}

	/**
	 * Give back every message no handler has started (REQ 0), rather than let them time
	 * out on nsqd. The stop may already be finishing on another thread and have queued
	 * the workers' stop markers: those are handed back.
	 */
	void requeueUnstarted() {
		List<Delivery> unstarted = new ArrayList<>();
		this.queue.drainTo(unstarted);
		for (Delivery delivery : unstarted) {
			if (delivery == POISON) {
				this.queue.offer(POISON);
			}
			else {
				requeueUnhandled(delivery);
			}
		}
	}

	/**
	 * End the handler loops once the messages queued before are handled; wait up to a
	 * second for each thread the pool owns.
	 */
	void stopWorkers() {
		for (int i = 0; i < this.concurrency; i++) {
			this.queue.offer(POISON);
		}
		for (Thread thread : this.workerThreads) {
			try {
				thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
	}

	// ---------------------------------------------------------------- answers

	private void requeueUnhandled(Delivery delivery) {
		respond(delivery, NsqCommand.req(delivery.frame.id(), 0), null, null, this.requeued);
	}

	void finish(Delivery delivery, Worker worker) {
		respond(delivery, NsqCommand.fin(delivery.frame.id()), Signal.RESUME, worker, this.finished);
	}

	void requeue(Delivery delivery, long delayMillis, boolean backoff, Worker worker) {
		respond(delivery, NsqCommand.req(delivery.frame.id(), delayMillis), backoff ? Signal.BACKOFF : Signal.CONTINUE,
				worker, this.requeued);
	}

	void touch(Delivery delivery) {
		try {
			delivery.connection.send(NsqCommand.touch(delivery.frame.id()));
		}
		catch (NsqException ex) {
			logger.debug("TOUCH {} to {} failed: {}", delivery.idText(), delivery.connection, ex.getMessage());
		}
	}

	long automaticRequeueDelayMillis(int attempts) {
		return RdyMath.requeueDelayMillis(this.config.getDefaultRequeueDelay(), this.config.getMaxRequeueDelay(),
				attempts);
	}

	/**
	 * The single answer of a message. The backoff signal is processed first, so RDY
	 * changes reach nsqd before the FIN or REQ that caused them (as go-nsq). The
	 * in-flight count drops only after the answer is written, so a draining connection is
	 * never closed with an answer still unwritten.
	 */
	private void respond(Delivery delivery, NsqCommand command, Signal signal, Worker worker, LongAdder counter) {
		if (!delivery.markResponded()) {
			return;
		}
		if (signal != null) {
			this.rdy.signal(signal);
		}
		ConsumerConnection connection = delivery.connection;
		try {
			if (worker != null) {
				connection.write(command);
				worker.unflushed(connection);
			}
			else {
				connection.send(command);
			}
			counter.increment();
		}
		catch (NsqException ex) {
			logger.debug("{} to {} failed ({}); nsqd delivers the message again after its timeout", command.name(),
					connection, ex.getMessage());
		}
		connection.inFlight.decrementAndGet();
		this.inFlight.decrement();
		if (connection.closing) {
			connection.answeredWhileClosing();
		}
	}

	private void process(Delivery delivery, Worker worker) {
		ConsumerConnection connection = delivery.connection;
		if (connection.closed) {
			// its answer could not be written: nsqd delivers it again after its timeout
			if (delivery.markResponded()) {
				connection.inFlight.decrementAndGet();
				this.inFlight.decrement();
			}
			return;
		}
		int maxAttempts = this.config.getMaxAttempts();
		if (maxAttempts > 0 && delivery.attempts() > maxAttempts) {
			this.failed.increment();
			try {
				this.failedMessageHandler.onFailedMessage(delivery);
			}
			catch (RuntimeException ex) {
				logger.warn("Failed-message handler of consumer {} threw for {}", this.name, delivery, ex);
			}
			finish(delivery, worker);
			return;
		}
		try {
			this.handler.handle(delivery);
			if (!delivery.isAutoResponseDisabled()) {
				finish(delivery, worker);
			}
		}
		catch (Throwable ex) {
			logger.warn("Handler of consumer {} failed for {}; requeueing it", this.name, delivery, ex);
			if (!delivery.isAutoResponseDisabled()) {
				requeue(delivery, automaticRequeueDelayMillis(delivery.attempts()), true, worker);
			}
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	private void logFailedMessage(NsqMessage message) {
		logger.warn("Consumer {} gives up on message {} after {} attempts (max_attempts {}); finishing it", this.name,
				message.idText(), message.attempts(), this.config.getMaxAttempts());
	}

	// ---------------------------------------------------------------- counters

	long received() {
		return this.received.sum();
	}

	long finished() {
		return this.finished.sum();
	}

	long requeued() {
		return this.requeued.sum();
	}

	long failed() {
		return this.failed.sum();
	}

	long inFlight() {
		return this.inFlight.sum();
	}

	/**
	 * A handler loop. Answers of quick handlers are written without flush and flushed in
	 * batches (see the class comment).
	 */
	final class Worker implements Runnable {

		private ConsumerConnection[] dirty = new ConsumerConnection[4];

		private int dirtyCount;

		private int unflushed;

		private long firstUnflushedNanos;

		private boolean slowHandler;

		/** When the current message was taken; 0 before the first. */
		private long started;

		/**
		 * One clock read per message: the moment a message is taken also ends the
		 * previous one, whose duration decides whether its answer is flushed before this
		 * message is handled.
		 */
		@Override
		public void run() {
			try {
				while (true) {
					Delivery delivery = WorkerPool.this.queue.poll();
					long now;
					if (delivery == null) {
						endPrevious(System.nanoTime());
						flush();
						delivery = WorkerPool.this.queue.take();
						now = System.nanoTime();
					}
					else {
						now = System.nanoTime();
						endPrevious(now);
					}
					if (this.unflushed > 0 && (this.slowHandler || this.unflushed >= MAX_UNFLUSHED
							|| now - this.firstUnflushedNanos > MAX_UNFLUSHED_MICROS * 1000)) {
						flush();
					}
					if (delivery == POISON) {
						return;
					}
					this.started = now;
					process(delivery, this.slowHandler ? null : this);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				flush();
			}
		}

		private void endPrevious(long now) {
			if (this.started != 0) {
				this.slowHandler = now - this.started > SLOW_HANDLER_NANOS;
			}
		}

		void unflushed(ConsumerConnection connection) {
			if (this.unflushed++ == 0) {
				this.firstUnflushedNanos = this.started;
			}
			for (int i = 0; i < this.dirtyCount; i++) {
				if (this.dirty[i] == connection) {
					return;
				}
			}
			if (this.dirtyCount == this.dirty.length) {
				this.dirty = Arrays.copyOf(this.dirty, this.dirtyCount * 2);
			}
			this.dirty[this.dirtyCount++] = connection;
		}

		private void flush() {
			for (int i = 0; i < this.dirtyCount; i++) {
				try {
					this.dirty[i].flush();
				}
				catch (NsqException ex) {
					logger.debug("Flush to {} failed: {}", this.dirty[i], ex.getMessage());
				}
				this.dirty[i] = null;
			}
			this.dirtyCount = 0;
			this.unflushed = 0;
		}

	}

}
