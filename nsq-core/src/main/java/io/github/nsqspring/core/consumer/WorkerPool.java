package io.github.nsqspring.core.consumer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConsumerConfig;
import io.github.nsqspring.core.consumer.RdyController.Signal;

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
 * then share one system call, as nsqd's own bench_reader does. An answer on a draining
 * connection is flushed at once ({@link ConsumerConnection#answeredWhileClosing()}).
 * <p>
 * Stopping: while the consumer drains, queued messages and messages still arriving are
 * handled as usual. At the stop's deadline {@link #requeueUnanswered} gives back (REQ 0)
 * what is still unanswered: the messages no handler has started, those whose handler is
 * still running (the handler is interrupted and its outcome ignored), and those whose
 * handler disabled auto-response and returned without answering.
 */
final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	static final int MAX_UNFLUSHED = 128;

	static final long MAX_UNFLUSHED_MICROS = 1000;

	/**
	 * A handler slower than this answers with an immediate flush: batching gains nothing.
	 */
	private static final long SLOW_HANDLER_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	private static final Delivery POISON = Delivery.marker();

	/**
	 * {@link Worker#current}, written with opaque stores: a plain store on every
	 * platform, yet eventually visible to the thread that sweeps at a stop's deadline.
	 */
	private static final VarHandle CURRENT;

	static {
		try {
			CURRENT = MethodHandles.lookup().findVarHandle(Worker.class, "current", Delivery.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final int RUNNING = 0;

	private static final int DRAINING = 1;

	private static final int ABANDONED = 2;

	private final String name;

	private final NsqConsumerConfig config;

	private final MessageHandler handler;

	private final FailedMessageHandler failedMessageHandler;

	private final int concurrency;

	private final Executor userExecutor;

	private final RdyController rdy;

	private final Batching batching;

	private final DeliveryQueue queue = new DeliveryQueue();

	private final LongAdder failed = new LongAdder();

	private final LongAdder failedHandlerErrors = new LongAdder();

	/**
	 * Messages whose answer could not be written: nsqd redelivers them after a timeout.
	 */
	private final LongAdder unanswerable = new LongAdder();

	/** Handler returned with auto-response disabled, not answered yet. */
	private final Set<Delivery> awaitingAnswer = ConcurrentHashMap.newKeySet();

	/** Written once by {@link #start()}, read by a stop that may run alongside it. */
	private final List<Worker> workers = new CopyOnWriteArrayList<>();

	private final CountDownLatch workersEnded;

	private volatile int mode = RUNNING;

	WorkerPool(String name, NsqConsumerConfig config, MessageHandler handler, FailedMessageHandler failedMessageHandler,
			int concurrency, Executor userExecutor, RdyController rdy) {
		this(name, config, handler, failedMessageHandler, concurrency, userExecutor, rdy, Batching.DEFAULT);
	}

	/**
	 * A pool whose workers batch their flushes as given (tests take the timing out of
	 * it).
	 */
	WorkerPool(String name, NsqConsumerConfig config, MessageHandler handler, FailedMessageHandler failedMessageHandler,
			int concurrency, Executor userExecutor, RdyController rdy, Batching batching) {
		this.batching = batching;
		this.name = name;
		this.config = config;
		this.handler = handler;
		this.failedMessageHandler = (failedMessageHandler != null) ? failedMessageHandler : this::logFailedMessage;
		this.concurrency = concurrency;
		this.userExecutor = userExecutor;
		this.rdy = rdy;
		this.workersEnded = new CountDownLatch(concurrency);
	}

	/**
	 * Start the handler loops: on the user's executor, or on {@code concurrency} daemon
	 * threads named {@code nsq-handler-<name>-N}.
	 */
	void start() {
		for (int i = 0; i < this.concurrency; i++) {
			Worker worker = new Worker();
			this.workers.add(worker);
			if (this.userExecutor != null) {
				this.userExecutor.execute(worker);
			}
			else {
				Thread thread = new Thread(worker, "nsq-handler-" + this.name + "-" + (i + 1));
				thread.setDaemon(true);
				thread.start();
			}
		}
	}

	/**
	 * A message frame (reader thread): queue it for a handler, or give it back at once
	 * after the stop's deadline.
	 */
	void onMessage(ConsumerConnection connection, long timestamp, int attempts, long idHigh, long idLow, byte[] body) {
		connection.inFlight.receive();
		Delivery delivery = new Delivery(connection, timestamp, attempts, idHigh, idLow, body);
		if (this.mode == ABANDONED) {
			requeueUnhandled(delivery);
			return;
		}
		this.queue.offerQuietly(delivery);
	}

	/**
	 * The connection's reader handed over everything it read and is about to wait for the
	 * socket (reader thread): wake workers for the messages it queued meanwhile. The
	 * batch's time is its messages' arrival time (one clock read per socket read, not per
	 * message): the RDY redistribution compares it with timeouts of seconds.
	 * @param messages the message frames of the batch
	 */
	void onReadBatchEnd(ConsumerConnection connection, int messages) {
		if (messages > 0) {
			connection.lastMessageNanos = System.nanoTime();
			this.queue.wake(messages);
		}
	}

	/**
	 * The consumer stops: keep handling what was delivered and what still arrives.
	 */
	void drain() {
		if (this.mode == RUNNING) {
			this.mode = DRAINING;
		}
	}

	/**
	 * The stop's deadline passed: what arrives from now on goes back at once.
	 */
	void abandon() {
		this.mode = ABANDONED;
	}

	/**
	 * Give back (REQ 0) every unanswered message of the matching connections: those no
	 * handler has started, those the application has yet to answer, and those whose
	 * handler is still running (its outcome is then ignored).
	 * @param connections which connections
	 * @param interruptHandlers whether to interrupt the handlers whose message was given
	 * back (only when the whole consumer stops: a worker may have moved on to another
	 * message in between)
	 * @return how many messages this call gave back
	 */
	int requeueUnanswered(Predicate<ConsumerConnection> connections, boolean interruptHandlers) {
		int count = 0;
		List<Delivery> queued = new ArrayList<>();
		this.queue.drainTo(queued);
		for (Delivery delivery : queued) {
			if (delivery != POISON && connections.test(delivery.connection)) {
				count += requeueUnhandled(delivery) ? 1 : 0;
			}
			else {
				this.queue.offer(delivery);
			}
		}
		for (Delivery delivery : this.awaitingAnswer) {
			if (connections.test(delivery.connection)) {
				count += requeueUnhandled(delivery) ? 1 : 0;
			}
		}
		for (Worker worker : this.workers) {
			Delivery running = (Delivery) CURRENT.getOpaque(worker);
			if (running != null && connections.test(running.connection) && requeueUnhandled(running)) {
				count++;
				if (interruptHandlers) {
					worker.interrupt();
				}
			}
		}
		return count;
	}

	/**
	 * End the handler loops once the messages queued before are handled, and wait for
	 * them to end.
	 * @param wait the longest wait
	 * @return the names of the pool's own threads still running a handler after the wait,
	 * or of {@code "a handler on the given executor"}; empty when all ended
	 */
	List<String> stopWorkers(Duration wait) {
		for (int i = 0; i < this.concurrency; i++) {
			this.queue.offer(POISON);
		}
		try {
			if (this.workersEnded.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
				return List.of();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<String> running = new ArrayList<>();
		for (Worker worker : this.workers) {
			Thread thread = worker.thread;
			if (thread != null && thread.isAlive() && !worker.ended) {
				running.add((this.userExecutor != null) ? "a handler on the given executor (" + thread.getName() + ")"
						: thread.getName());
			}
		}
		return running;
	}

	// ---------------------------------------------------------------- answers

	/**
	 * REQ 0 without a backoff signal, for messages given back unhandled.
	 * @return {@code true} when this call answered the message
	 */
	private boolean requeueUnhandled(Delivery delivery) {
		return respond(delivery, 0, null, null);
	}

	void finish(Delivery delivery, Worker worker) {
		respond(delivery, -1, Signal.RESUME, worker);
	}

	void requeue(Delivery delivery, long delayMillis, boolean backoff, Worker worker) {
		if (delayMillis < 0) {
			throw new IllegalArgumentException("REQ delay must be 0 or more, was " + delayMillis);
		}
		respond(delivery, delayMillis, backoff ? Signal.BACKOFF : Signal.CONTINUE, worker);
	}

	void touch(Delivery delivery) {
		try {
			delivery.connection.send(new MessageAnswer().touch(delivery.idHigh, delivery.idLow));
		}
		catch (NsqException ex) {
			logger.debug("TOUCH {} to {} failed: {}", delivery.idText(), delivery.connection, ex.getMessage());
		}
	}

	long automaticRequeueDelayMillis(int attempts) {
		return RdyMath.requeueDelayMillis(this.config.getDefaultRequeueDelay(), this.config.getMaxRequeueDelay(),
				attempts);
	}

	void awaiting(Delivery delivery) {
		this.awaitingAnswer.add(delivery);
	}

	void answered(Delivery delivery) {
		this.awaitingAnswer.remove(delivery);
	}

	/**
	 * The single answer of a message. The backoff signal is processed first, so RDY
	 * changes reach nsqd before the FIN or REQ that caused them (as go-nsq). The
	 * in-flight count drops only after the answer is written and counted, so a draining
	 * connection is never closed with an answer still unwritten.
	 * <p>
	 * A worker writes the answer through its own reusable {@link MessageAnswer}; other
	 * threads take a new one.
	 * @param requeueDelayMillis the REQ delay, or -1 for FIN
	 * @return {@code true} when this call answered the message
	 */
	private boolean respond(Delivery delivery, long requeueDelayMillis, Signal signal, Worker worker) {
		if (!delivery.markResponded()) {
			return false;
		}
		if (signal != null) {
			this.rdy.signal(signal);
		}
		ConsumerConnection connection = delivery.connection;
		boolean finish = requeueDelayMillis < 0;
		MessageAnswer answer = (worker != null) ? worker.answer : new MessageAnswer();
		if (finish) {
			answer.fin(delivery.idHigh, delivery.idLow);
		}
		else {
			answer.req(delivery.idHigh, delivery.idLow, requeueDelayMillis);
		}
		try {
			if (worker != null) {
				connection.write(answer);
				worker.unflushed(connection);
			}
			else {
				connection.send(answer);
			}
			(finish ? connection.finished : connection.requeued).increment();
		}
		catch (NsqException ex) {
			this.unanswerable.increment();
			logger.debug("{} to {} failed ({}); nsqd delivers the message again after its timeout", answer.name(),
					connection, ex.getMessage());
		}
		connection.inFlight.answered();
		if (connection.closing) {
			connection.answeredWhileClosing();
		}
		return true;
	}

	private void process(Delivery delivery, Worker worker) {
		ConsumerConnection connection = delivery.connection;
		if (connection.closed) {
			// its answer could not be written: nsqd delivers it again after its timeout
			if (delivery.markResponded()) {
				this.unanswerable.increment();
				connection.inFlight.answered();
			}
			return;
		}
		int maxAttempts = this.config.getMaxAttempts();
		if (maxAttempts > 0 && delivery.attempts() > maxAttempts) {
			giveUp(delivery, worker);
			return;
		}
		try {
			this.handler.handle(delivery);
			if (!delivery.isAutoResponseDisabled()) {
				finish(delivery, worker);
			}
			else if (!delivery.hasResponded()) {
				delivery.awaitAnswer();
			}
		}
		catch (Throwable ex) {
			if (delivery.hasResponded()) {
				// e.g. interrupted after a stop's deadline requeued its message
				logger.warn("Handler of consumer {} failed for {}, which was already answered", this.name, delivery,
						ex);
			}
			else {
				logger.warn("Handler of consumer {} failed for {}; requeueing it", this.name, delivery, ex);
			}
			if (!delivery.isAutoResponseDisabled()) {
				requeue(delivery, automaticRequeueDelayMillis(delivery.attempts()), true, worker);
			}
			else if (!delivery.hasResponded()) {
				delivery.awaitAnswer();
			}
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	/**
	 * A message over max attempts goes to the failed-message handler and is finished; if
	 * that handler throws, the message is requeued (with the automatic delay and backoff)
	 * so that it is not lost, and handed to it again on its next delivery.
	 */
	private void giveUp(Delivery delivery, Worker worker) {
		this.failed.increment();
		try {
			this.failedMessageHandler.onFailedMessage(delivery);
		}
		catch (Throwable ex) {
			this.failedHandlerErrors.increment();
			logger.warn(
					"Failed-message handler of consumer {} threw for message {} (attempt {}, nsqd {}); "
							+ "requeueing the message instead of finishing it",
					this.name, delivery.idText(), delivery.attempts(), delivery.nsqdAddress(), ex);
			requeue(delivery, automaticRequeueDelayMillis(delivery.attempts()), true, worker);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			return;
		}
		finish(delivery, worker);
	}

	private void logFailedMessage(NsqMessage message) {
		logger.warn("Consumer {} gives up on message {} after {} attempts (max_attempts {}); finishing it", this.name,
				message.idText(), message.attempts(), this.config.getMaxAttempts());
	}

	// ---------------------------------------------------------------- counters

	long failed() {
		return this.failed.sum();
	}

	long failedMessageHandlerErrors() {
		return this.failedHandlerErrors.sum();
	}

	long unanswerable() {
		return this.unanswerable.sum();
	}

	/**
	 * When a worker flushes the answers it wrote without flush.
	 *
	 * @param maxUnflushed flush before the next message once this many wait
	 * @param maxUnflushedNanos flush before the next message once the oldest waited this
	 * long
	 * @param slowHandlerNanos after a handler slower than this, answer with a flush
	 */
	record Batching(int maxUnflushed, long maxUnflushedNanos, long slowHandlerNanos) {

		static final Batching DEFAULT = new Batching(MAX_UNFLUSHED, TimeUnit.MICROSECONDS.toNanos(MAX_UNFLUSHED_MICROS),
				SLOW_HANDLER_NANOS);

	}

	/**
	 * A handler loop. Answers of quick handlers are written without flush and flushed in
	 * batches (see the class comment).
	 */
	final class Worker implements Runnable {

		private final int maxUnflushed = WorkerPool.this.batching.maxUnflushed();

		private final long maxUnflushedNanos = WorkerPool.this.batching.maxUnflushedNanos();

		private final long slowHandlerNanos = WorkerPool.this.batching.slowHandlerNanos();

		/** Encodes this worker's answers: the connection copies them as they are sent. */
		final MessageAnswer answer = new MessageAnswer();

		private ConsumerConnection[] dirty = new ConsumerConnection[4];

		private int dirtyCount;

		private int unflushed;

		private long firstUnflushedNanos;

		private boolean slowHandler;

		/** When the current message was taken; 0 before the first. */
		private long started;

		/** The message taken last (see {@link #CURRENT}). */
		@SuppressWarnings("unused")
		private Delivery current;

		private volatile Thread thread;

		private volatile boolean interruptedByPool;

		private volatile boolean ended;

		/**
		 * One clock read per message: the moment a message is taken also ends the
		 * previous one, whose duration decides whether its answer is flushed before this
		 * message is handled.
		 */
		@Override
		public void run() {
			this.thread = Thread.currentThread();
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
					if (this.unflushed > 0 && (this.slowHandler || this.unflushed >= this.maxUnflushed
							|| now - this.firstUnflushedNanos > this.maxUnflushedNanos)) {
						flush();
					}
					if (delivery == POISON) {
						return;
					}
					CURRENT.setOpaque(this, delivery);
					this.started = now;
					process(delivery, this.slowHandler ? null : this);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				flush();
				CURRENT.setOpaque(this, (Delivery) null);
				if (this.interruptedByPool) {
					// the executor's thread goes back to its owner without our interrupt
					Thread.interrupted();
				}
				this.ended = true;
				WorkerPool.this.workersEnded.countDown();
			}
		}

		void interrupt() {
			Thread thread = this.thread;
			if (thread != null) {
				this.interruptedByPool = true;
				thread.interrupt();
			}
		}

		private void endPrevious(long now) {
			if (this.started != 0) {
				this.slowHandler = now - this.started > this.slowHandlerNanos;
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
