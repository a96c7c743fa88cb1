package io.github.nsqspring.core.producer;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.connection.ConnectionHandler;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * One connection of an {@link NsqdProducer} to its nsqd, and the answers it owes: the
 * FIFO of commands awaiting an answer, the flushes clocked by those answers, and the open
 * batch of coalesced PUBs (the producer's javadoc says how these work together). It
 * handles the connection's frames on the reader thread and fails what is owed when the
 * connection closes. The FIFO is a ring sized to the pending bound: the permit a caller
 * holds guarantees its slot is free.
 */
final class NsqdSession implements ConnectionHandler {

	/*
	 * The producer's logger: the session is the producer's connection, and a user who
	 * tunes the producer's log level means these lines too.
	 */
	private static final Logger logger = LoggerFactory.getLogger(NsqdProducer.class);

	private final NsqdProducer producer;

	private final String address;

	private final ProducerSettings settings;

	/** The producer's bound on commands awaiting an answer; released per answer. */
	private final Semaphore permits;

	private final PendingCommand[] ring;

	private final int mask;

	/** Written only under the connection's write lock. */
	private volatile long tail;

	/** Written only by the reader thread, or by drain after the connection died. */
	private volatile long head;

	/** Messages of the commands in the FIFO so far; written under the write lock. */
	private volatile long sentMessages;

	/** Messages answered so far; written like head. */
	private volatile long answeredMessages;

	/** Serialises sends when PUBs are coalesced; guards the open batch. */
	final ReentrantLock sendLock = new ReentrantLock();

	private String batchTopic;

	/** The open batch's members, chained through {@link PendingPublish#next}. */
	private PendingPublish batchFirst;

	private PendingPublish batchLast;

	/** The open batch's MPUB body size so far: the count, then 4 + length each. */
	private long batchBytes;

	/** Messages in the open batch; written under sendLock, read by the reader. */
	private volatile int batchSize;

	/** requestBatchSend was called; cleared by the send that honours it. */
	private volatile boolean sendWanted;

	/**
	 * The FIFO position up to which commands were flushed, or are about to be by a flush
	 * already requested. Only grows.
	 */
	private final AtomicLong flushedTail = new AtomicLong();

	NsqConnection connection;

	/** No new command should use this session (lost, failing, or closing). */
	volatile boolean retired;

	/** The connection closed; whatever is in the FIFO has to be failed. */
	volatile boolean dead;

	/** The fatal error nsqd sent before closing, if any. */
	private volatile NsqProtocolException fatalError;

	private volatile NsqException closeCause;

	NsqdSession(NsqdProducer producer, String address, ProducerSettings settings, Semaphore permits) {
		this.producer = producer;
		this.address = address;
		this.settings = settings;
		this.permits = permits;
		// a power of two at least maxPendingCommands: a permit guarantees a free slot
		int capacity = Integer.highestOneBit(Math.max(1, settings.maxPendingCommands() - 1)) << 1;
		this.ring = new PendingCommand[capacity];
		this.mask = capacity - 1;
	}

	long enqueue(PendingCommand entry) {
		long t = this.tail;
		this.ring[(int) t & this.mask] = entry;
		this.sentMessages += entry.messages();
		this.tail = t + 1;
		return t;
	}

	/**
	 * Whether every command known to be flushed has been answered.
	 */
	boolean pipelineIdle() {
		return this.head >= this.flushedTail.get();
	}

	/**
	 * Whether a new command should be flushed at once: when the pipeline is idle (no
	 * latency added to a lone publish), or when the commands buffered since the last
	 * flush are at least as many as those flushed and unanswered, so batches grow
	 * geometrically with the load and nsqd always has the next batch in its socket buffer
	 * before it finished the current one.
	 */
	boolean shouldFlush() {
		long flushedEnd = this.flushedTail.get();
		long inFlight = flushedEnd - this.head;
		return inFlight <= 0 || this.tail + 1 - flushedEnd >= inFlight;
	}

	/**
	 * Record that the commands before {@code end} are flushed (or a flush covering them
	 * is guaranteed).
	 */
	void flushed(long end) {
		this.flushedTail.accumulateAndGet(end, Math::max);
	}

	/**
	 * After a command was left in the buffer: flush it if the pipeline went idle in the
	 * meantime. The reader checks the same after each answer; as both sides write their
	 * own counter before reading the other's, at least one of them sees that a flush is
	 * needed, so no command can stay buffered.
	 */
	void afterBufferedWrite() {
		if (pipelineIdle() || shouldFlushBuffered()) {
			requestFlush();
		}
	}

	private void afterAnswer() {
		if (shouldFlushBuffered()) {
			requestFlush();
		}
	}

	private boolean shouldFlushBuffered() {
		long end = this.tail;
		long flushedEnd = this.flushedTail.get();
		long inFlight = flushedEnd - this.head;
		return end != flushedEnd && (inFlight <= 0 || end - flushedEnd >= inFlight);
	}

	void requestFlush() {
		flushed(this.tail);
		this.connection.requestFlush();
	}

	private PendingCommand poll() {
		long h = this.head;
		if (h == this.tail) {
			return null;
		}
		int slot = (int) h & this.mask;
		PendingCommand entry = this.ring[slot];
		// an answered entry must not stay reachable through the ring: with coalesced
		// batches the tail moves by one per MPUB, so a slot may not be written again
		// for millions of messages
		this.ring[slot] = null;
		this.answeredMessages += entry.messages();
		this.head = h + 1;
		return entry;
	}

	private long messagesInFlight() {
		return this.sentMessages - this.answeredMessages;
	}

	/**
	 * Add a PUB to the open batch, or refuse when it should go out alone (nothing in
	 * flight, so waiting would only add latency). Sends the batch once it holds as many
	 * messages as are in flight, so batches grow with the load. Called with sendLock
	 * held.
	 * @return whether the publish joined a batch
	 */
	boolean coalesce(PendingPublish pending, String topic) {
		if (this.dead) {
			return false;
		}
		int size = 4 + pending.body.length;
		if (this.batchSize > 0
				&& (!topic.equals(this.batchTopic) || this.batchBytes + size > this.settings.maxBodySize())) {
			sendOpenBatch();
		}
		if (this.batchSize == 0 && messagesInFlight() == 0) {
			return false;
		}
		if (this.batchSize == 0) {
			this.batchTopic = topic;
			this.batchFirst = pending;
			this.batchBytes = 4;
		}
		else {
			this.batchLast.next = pending;
		}
		this.batchLast = pending;
		this.batchBytes += size;
		this.batchSize++;
		if (this.batchSize >= messagesInFlight()) {
			sendOpenBatch();
		}
		return true;
	}

	/**
	 * Send the open batch, if any, as one MPUB. Called with sendLock held.
	 */
	void sendOpenBatch() {
		if (this.batchSize == 0) {
			return;
		}
		CoalescedBatch batch = takeOpenBatch(this.producer.commands().mpubLine(this.batchTopic));
		try {
			this.connection.send(batch, batch, true);
			flushed(batch.sequence + 1);
		}
		catch (NsqException ex) {
			if (!batch.enqueued) {
				this.permits.release(batch.permits());
				batch.fail(notWritten(ex), false, this.settings.callbackExecutor());
			}
		}
	}

	private CoalescedBatch takeOpenBatch(byte[] mpubLine) {
		CoalescedBatch batch = new CoalescedBatch(this, mpubLine, this.batchFirst, this.batchSize, this.batchBytes - 4);
		this.batchFirst = null;
		this.batchLast = null;
		this.batchTopic = null;
		this.batchSize = 0;
		return batch;
	}

	private NsqConnectionException notWritten(NsqException cause) {
		return new NsqConnectionException("not published to nsqd " + this.address
				+ ": the connection closed before the command was written; safe to retry"
				+ ((cause != null) ? ": " + cause.getMessage() : ""), cause);
	}

	/**
	 * Send the open batch now, without waiting for sendLock: when another thread holds
	 * it, that thread sends the batch just after releasing it.
	 */
	void requestBatchSend() {
		this.sendWanted = true;
		while (this.sendWanted && this.sendLock.tryLock()) {
			try {
				if (this.sendWanted) {
					this.sendWanted = false;
					sendOpenBatch();
				}
			}
			finally {
				this.sendLock.unlock();
			}
		}
	}

	void afterSendUnlock() {
		if (this.sendWanted) {
			requestBatchSend();
		}
	}

	private void afterAnswerBatch() {
		int waiting = this.batchSize;
		if (waiting > 0 && waiting >= messagesInFlight()) {
			requestBatchSend();
		}
	}

	/**
	 * Fail the batch that was never sent. Only after the session died.
	 */
	void failOpenBatch() {
		this.sendLock.lock();
		try {
			if (this.batchSize > 0) {
				CoalescedBatch batch = takeOpenBatch(null);
				this.permits.release(batch.permits());
				batch.fail(notWritten(this.closeCause), false, this.settings.callbackExecutor());
			}
		}
		finally {
			this.sendLock.unlock();
		}
	}

	@Override
	public void onResponse(NsqConnection connection, Frame.Response response) {
		PendingCommand pending = poll();
		if (pending == null) {
			logger.warn("Unexpected response from nsqd {} with no command awaiting an answer: {}; reconnecting",
					this.address, response.text());
			this.retired = true;
			connection.close();
			return;
		}
		this.permits.release(pending.permits());
		afterAnswer();
		afterAnswerBatch();
		if (response.isOk()) {
			pending.succeed(this.settings.callbackExecutor());
		}
		else {
			pending.fail(
					new NsqConnectionException("unexpected answer from nsqd " + this.address + " to " + "a publish: "
							+ response.text() + "; the message may or may not have been published"),
					true, this.settings.callbackExecutor());
			this.retired = true;
			connection.close();
		}
	}

	@Override
	public void onError(NsqConnection connection, Frame.Error error) {
		PendingCommand pending = poll();
		NsqProtocolException failure = NsqProtocolException.fromErrorFrame(error.text());
		if (failure.isFatal()) {
			// nsqd closes the connection after this and reads nothing more from it:
			// the commands behind this one were not published
			this.fatalError = failure;
			this.retired = true;
		}
		if (pending == null) {
			logger.warn("Error from nsqd {} with no command awaiting an answer: {}", this.address, error.text());
			return;
		}
		this.permits.release(pending.permits());
		if (!failure.isFatal()) {
			afterAnswer();
			afterAnswerBatch();
		}
		pending.fail(failure, false, this.settings.callbackExecutor());
		if (failure.isFatal()) {
			connection.close();
		}
	}

	@Override
	public void onClose(NsqConnection connection, Throwable cause) {
		this.retired = true;
		String address = this.address;
		NsqProtocolException fatal = this.fatalError;
		if (fatal != null) {
			this.closeCause = new NsqConnectionException(
					"not published: nsqd " + address + " closed the connection after rejecting an earlier command ("
							+ fatal.serverText() + "), so it did not read this one; safe to retry",
					fatal);
		}
		else if (this.producer.isClosed()) {
			this.closeCause = new ProducerClosedException("producer for nsqd " + address
					+ " closed before nsqd answered: the message may or may not have been published");
		}
		else {
			String reason = (cause != null) ? cause.getMessage() : "closed";
			this.closeCause = new NsqConnectionException("connection to nsqd " + address + " lost before it answered ("
					+ reason + "): the message may or may not have been published", cause);
		}
		this.dead = true;
		drain();
		failOpenBatch();
	}

	/**
	 * Fail every future still in the FIFO. Called by the reader thread once the
	 * connection closed, and by a writer that finds the session dead after joining the
	 * FIFO; synchronised because both may run it.
	 */
	synchronized void drain() {
		NsqException cause = this.closeCause;
		// behind a fatal error nsqd read nothing more; otherwise it may have
		boolean published = this.fatalError == null;
		PendingCommand pending;
		while ((pending = poll()) != null) {
			this.permits.release(pending.permits());
			pending.fail(cause, published, this.settings.callbackExecutor());
		}
	}

}
