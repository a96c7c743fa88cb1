package io.github.nsqspring.core.producer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
import io.github.nsqspring.core.protocol.WireCommand;

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

	/**
	 * The FIFO: per command, its future, or for a coalesced batch the first of its
	 * futures (the others chained behind it through {@link PendingPublish#next}).
	 */
	private final PendingPublish[] ring;

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

	/**
	 * PUBs handed over by callers that found sendLock held, newest first, linked through
	 * {@link PendingPublish#next}; taken by the holder (see {@link #sendPub}).
	 */
	private final AtomicReference<PendingPublish> handoffs = new AtomicReference<>();

	private String batchTopic;

	/** The open batch's members, chained through {@link PendingPublish#next}. */
	private PendingPublish batchFirst;

	private PendingPublish batchLast;

	/** The open batch's MPUB body size so far: the count, then 4 + length each. */
	private long batchBytes;

	/** Messages in the open batch; written under sendLock, read by the reader. */
	private volatile int batchSize;

	/** Writes the open batch when it is sent; used under sendLock only. */
	private final BatchSender batchSender = new BatchSender();

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
		int capacity = Integer.highestOneBit(Math.max(1, settings.producer().getMaxPendingCommands() - 1)) << 1;
		this.ring = new PendingPublish[capacity];
		this.mask = capacity - 1;
	}

	/**
	 * Append a command to the FIFO. Called under the connection's write lock, just before
	 * the command is written.
	 * @param first its future, or the first future of a coalesced batch
	 * @param messages the messages it publishes
	 * @return its position
	 */
	long enqueue(PendingPublish first, int messages) {
		long t = this.tail;
		this.ring[(int) t & this.mask] = first;
		this.sentMessages += messages;
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

	private PendingPublish poll() {
		long h = this.head;
		if (h == this.tail) {
			return null;
		}
		int slot = (int) h & this.mask;
		PendingPublish entry = this.ring[slot];
		// an answered entry must not stay reachable through the ring: with coalesced
		// batches the tail moves by one per MPUB, so a slot may not be written again
		// for millions of messages
		this.ring[slot] = null;
		long messages = 0;
		for (PendingPublish member = entry; member != null; member = member.next) {
			messages += member.messages();
		}
		this.answeredMessages += messages;
		this.head = h + 1;
		return entry;
	}

	/**
	 * The pending-command permits the callers of a FIFO entry hold: one per future.
	 */
	private static int permitsOf(PendingPublish first) {
		int permits = 0;
		for (PendingPublish member = first; member != null; member = member.next) {
			permits++;
		}
		return permits;
	}

	/**
	 * Complete the futures of a FIFO entry: with success when {@code failure} is
	 * {@code null}. A failure is counted first, so a caller who sees it sees it counted;
	 * successes are counted by {@link #onResponse}, which knows their number already.
	 */
	private void complete(PendingPublish first, NsqException failure, boolean published) {
		if (failure != null) {
			long messages = 0;
			for (PendingPublish member = first; member != null; member = member.next) {
				messages += member.messages();
			}
			this.producer.failed(messages);
		}
		PendingPublish.completeAll(first, failure, published, this.settings.callbackExecutor());
	}

	private long messagesInFlight() {
		return this.sentMessages - this.answeredMessages;
	}

	/**
	 * The PUB line of a topic whose PUB passed the producer's checks.
	 * @param topic the topic
	 * @return the line
	 */
	byte[] pubLine(String topic) {
		return this.producer.commands().pubLine(topic);
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
		if (this.batchSize > 0 && (!topic.equals(this.batchTopic)
				|| this.batchBytes + size > this.settings.producer().getMaxBodySize())) {
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
		BatchSender sender = this.batchSender;
		sender.load(this.producer.commands().mpubLine(this.batchTopic), this.batchFirst, this.batchSize,
				this.batchBytes - 4);
		clearOpenBatch();
		try {
			this.connection.send(sender, sender, true);
			flushed(sender.sequence + 1);
		}
		catch (NsqException ex) {
			// the messages the write did not reach; the others were dropped as written
			PendingPublish.dropMessages(sender.first);
			if (!sender.enqueued) {
				this.permits.release(sender.size);
				complete(sender.first, notWritten(ex), false);
			}
		}
		finally {
			sender.clear();
		}
	}

	private void clearOpenBatch() {
		this.batchFirst = null;
		this.batchLast = null;
		this.batchTopic = null;
		this.batchSize = 0;
	}

	/**
	 * Why a command that was never written failed.
	 * @param cause why it could not be written
	 * @return the failure, saying the publish is safe to retry
	 */
	NsqConnectionException notWritten(NsqException cause) {
		return new NsqConnectionException("not published to nsqd " + this.address
				+ ": the connection closed before the command was written; safe to retry"
				+ ((cause != null) ? ": " + cause.getMessage() : ""), cause);
	}

	/**
	 * Send a PUB, coalesced when the load allows, without ever waiting for sendLock. A
	 * caller that finds the lock held hands its PUB over and returns at once: every
	 * holder takes the PUBs handed over before its own command (so none is overtaken by a
	 * later command of the caller that handed it over) and again after releasing the
	 * lock. Parking on the lock instead, while the holder writes to the socket, cost a
	 * park and a wake-up per waiting caller: with 8 synchronous callers on 2 cores, two
	 * thirds of the producer's futex calls.
	 * @param pending the PUB, its future holding the message
	 */
	void sendPub(PendingPublish pending) {
		if (this.sendLock.tryLock()) {
			try {
				takeHandoffs();
				sendPubLocked(pending);
			}
			finally {
				this.sendLock.unlock();
			}
		}
		else {
			PendingPublish newest;
			do {
				newest = this.handoffs.get();
				pending.next = newest;
			}
			while (!this.handoffs.compareAndSet(newest, pending));
			// the holder may have released the lock before this PUB arrived: the
			// holder's check after unlocking and this one cannot both miss it
		}
		afterSendUnlock();
	}

	private void sendPubLocked(PendingPublish pending) {
		if (!coalesce(pending, pending.topic())) {
			sendOpenBatch();
			this.producer.sendDirect(this, pending, pending);
		}
	}

	/**
	 * Send the PUBs handed over so far, oldest first. Called with sendLock held, before
	 * any other send.
	 */
	void takeHandoffs() {
		// a read first: the swap is an atomic write, and most sends find nothing handed
		// over
		PendingPublish newest = (this.handoffs.get() != null) ? this.handoffs.getAndSet(null) : null;
		PendingPublish oldest = null;
		while (newest != null) {
			PendingPublish older = newest.next;
			newest.next = oldest;
			oldest = newest;
			newest = older;
		}
		while (oldest != null) {
			PendingPublish following = oldest.next;
			oldest.next = null;
			sendPubLocked(oldest);
			oldest = following;
		}
	}

	/**
	 * Send the open batch now, without waiting for sendLock: when another thread holds
	 * it, that thread sends the batch just after releasing it.
	 */
	void requestBatchSend() {
		this.sendWanted = true;
		afterSendUnlock();
	}

	/**
	 * What a thread does after releasing sendLock, or instead of waiting for it: send
	 * what was handed over or requested while the lock was held, until nothing is left or
	 * another thread holds the lock (which then does the same).
	 */
	void afterSendUnlock() {
		while ((this.sendWanted || this.handoffs.get() != null) && this.sendLock.tryLock()) {
			try {
				takeHandoffs();
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

	private void afterAnswerBatch() {
		int waiting = this.batchSize;
		if (waiting > 0 && waiting >= messagesInFlight()) {
			requestBatchSend();
		}
	}

	/**
	 * Fail the batch that was never sent, and the PUBs handed over and not yet taken.
	 * Only after the session died.
	 */
	void failOpenBatch() {
		this.sendLock.lock();
		try {
			// the connection is closed: each fails as not written
			takeHandoffs();
			if (this.batchSize > 0) {
				PendingPublish first = this.batchFirst;
				int size = this.batchSize;
				clearOpenBatch();
				PendingPublish.dropMessages(first);
				this.permits.release(size);
				complete(first, notWritten(this.closeCause), false);
			}
		}
		finally {
			this.sendLock.unlock();
		}
	}

	@Override
	public void onResponse(NsqConnection connection, Frame.Response response) {
		long answeredBefore = this.answeredMessages;
		PendingPublish pending = poll();
		if (pending == null) {
			logger.warn("Unexpected response from nsqd {} with no command awaiting an answer: {}; reconnecting",
					this.address, response.text());
			this.retired = true;
			connection.close();
			return;
		}
		this.permits.release(permitsOf(pending));
		afterAnswer();
		afterAnswerBatch();
		if (response.isOk()) {
			// counted before the callers learn of it
			this.producer.published(this.answeredMessages - answeredBefore);
			complete(pending, null, true);
		}
		else {
			NsqConnectionException unexpected = new NsqConnectionException("unexpected answer from nsqd " + this.address
					+ " to a publish: " + response.text() + "; the message may or may not have been published");
			this.producer.lastError(unexpected.getMessage());
			complete(pending, unexpected, true);
			this.retired = true;
			connection.close();
		}
	}

	@Override
	public void onError(NsqConnection connection, Frame.Error error) {
		PendingPublish pending = poll();
		NsqProtocolException failure = NsqProtocolException.fromErrorFrame(error.text());
		this.producer.lastError(failure.getMessage());
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
		this.permits.release(permitsOf(pending));
		if (!failure.isFatal()) {
			afterAnswer();
			afterAnswerBatch();
		}
		complete(pending, failure, false);
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
			if (cause != null) {
				this.producer.lastError(reason);
			}
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
		PendingPublish pending;
		while ((pending = poll()) != null) {
			this.permits.release(permitsOf(pending));
			complete(pending, cause, published);
		}
	}

	/**
	 * Sends the open batch as one MPUB: its {@code beforeWrite} action (the batch joins
	 * the FIFO as its first future) and its command (the MPUB written from the members'
	 * bodies). One per session, loaded under sendLock for each batch, so coalescing
	 * allocates nothing per batch either.
	 */
	private final class BatchSender implements Runnable, WireCommand {

		private byte[] mpubLine;

		private PendingPublish first;

		private int size;

		/** What the messages take on the wire: 4 + length each. */
		private long messagesBytes;

		private long sequence;

		private boolean enqueued;

		void load(byte[] mpubLine, PendingPublish first, int size, long messagesBytes) {
			this.mpubLine = mpubLine;
			this.first = first;
			this.size = size;
			this.messagesBytes = messagesBytes;
			this.enqueued = false;
		}

		void clear() {
			this.mpubLine = null;
			this.first = null;
		}

		@Override
		public void run() {
			for (PendingPublish member = this.first; member != null; member = member.next) {
				member.maybePublished = true;
				member.enqueued = true;
			}
			this.sequence = enqueue(this.first, this.size);
			this.enqueued = true;
		}

		@Override
		public void writeTo(OutputStream out) throws IOException {
			NsqCommand.writeMpubStart(out, this.mpubLine, this.size, this.messagesBytes);
			PendingPublish.writeMessages(out, this.first);
		}

	}

}
