package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.connection.ConnectionHandler;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * A producer for one nsqd over at most one connection at a time.
 * <p>
 * <b>Pipelining.</b> A publish writes its command and returns (async) or waits for its
 * own answer (sync); it never waits for the answers to earlier commands. nsqd answers
 * PUB, MPUB and DPUB strictly in the order it read them, so the connection keeps a FIFO
 * of pending futures: a future is appended under the connection's write lock, just before
 * its command is written, so FIFO order is wire order; the connection's reader thread
 * pops the oldest future for every {@code OK} or error frame. The FIFO is a
 * single-producer (writers are serialised by the write lock) single-consumer (the reader
 * thread) ring that allocates nothing per publish.
 * <p>
 * <b>Flushing, clocked by nsqd's answers.</b> A command is flushed at once when no
 * flushed command awaits an answer (a lone publish pays no added latency) or when the
 * commands buffered since the last flush are at least as many as those in flight;
 * otherwise it stays buffered and the reader thread flushes when answers arrive (without
 * ever waiting for the write lock: {@link NsqConnection#requestFlush()}). Batches thus
 * grow with the load and nsqd always has the next batch queued while it works on the
 * current one. Every buffered command is flushed before its answer can be owed, so none
 * waits longer than the answers ahead of it (nsqd, which sets TCP_NODELAY, answers each
 * command as soon as it is processed).
 * <p>
 * <b>Coalescing</b> (on by default). PUBs to one topic that would wait behind earlier
 * answers are gathered into one MPUB ({@link Batch}), sent once the batch holds as many
 * messages as are in flight. nsqd's cost per PUB is mostly its answer (a write and a
 * flush per command); one MPUB answers for the whole batch. All sends of a session then
 * go through one lock so a PUB waiting in a batch is never overtaken.
 * <p>
 * <b>Bound.</b> At most {@code maxPendingCommands} commands await an answer. A publish
 * that finds no room waits for one up to {@code pendingTimeout} (on a {@link Semaphore},
 * woken as soon as an answer arrives), then fails with {@link NsqTimeoutException};
 * nothing is sent then.
 * <p>
 * <b>Connection.</b> The connection is opened lazily by the first publish, and again by
 * the first publish after it was lost. A failed connect makes the nsqd unavailable for a
 * delay that doubles with every failure (from {@code minReconnectDelay} to
 * {@code maxReconnectDelay}); publishes in that time fail at once with an
 * {@link NsqConnectionException} saying when the next attempt is due, instead of dialling
 * a dead nsqd or sleeping on the caller's thread. A caller interrupted while connecting
 * does not count as a failure of the nsqd.
 * <p>
 * <b>Callbacks.</b> Futures are completed on the connection's reader thread
 * ({@code nsq-reader-<address>}) unless a callback executor is configured: dependent
 * actions registered with the non-async {@link CompletableFuture} methods run there and
 * must not block, or reading stops for every caller of this nsqd.
 */
final class NsqdProducer extends CommandProducer {

	private static final Logger logger = LoggerFactory.getLogger(NsqdProducer.class);

	private final NsqAddress address;

	private final String addressText;

	private final ProducerSettings settings;

	private final Semaphore permits;

	private final int ringCapacity;

	private final Object lifecycleLock = new Object();

	private volatile Session session;

	private volatile boolean closed;

	/** Guarded by lifecycleLock. */
	private boolean closeStarted;

	/** Failed connects in a row; guarded by lifecycleLock. */
	private int connectFailures;

	/** When the next connect may be tried (valid while backingOff). */
	private volatile long retryAtNanos;

	/** The last connect failed and its delay may not be over. */
	private volatile boolean backingOff;

	/** Why the last connect failed; guarded by lifecycleLock. */
	private NsqException lastConnectFailure;

	NsqdProducer(NsqAddress address, ProducerSettings settings) {
		super(settings);
		this.address = address;
		this.addressText = address.toString();
		this.settings = settings;
		this.permits = new Semaphore(settings.maxPendingCommands());
		this.ringCapacity = Integer.highestOneBit(Math.max(1, settings.maxPendingCommands() - 1)) << 1;
	}

	/**
	 * The nsqd address.
	 * @return the address
	 */
	NsqAddress address() {
		return this.address;
	}

	@Override
	public void ping() {
		if (this.closed) {
			throw closedException();
		}
		session().connection.send(NsqCommand.nop());
	}

	/**
	 * Whether a publish would try this nsqd now: not closed, and not waiting for the next
	 * reconnect attempt.
	 * @return {@code true} when usable
	 */
	boolean isAvailable() {
		if (this.closed) {
			return false;
		}
		Session current = this.session;
		return (current != null && !current.retired) || !this.backingOff || System.nanoTime() - this.retryAtNanos >= 0;
	}

	/**
	 * Whether a connection to this nsqd is open now.
	 * @return {@code true} when connected
	 */
	boolean isConnected() {
		Session current = this.session;
		return current != null && !current.retired;
	}

	/**
	 * Commands written and not yet answered, plus callers holding room for one.
	 * @return the count
	 */
	int pendingCount() {
		return this.settings.maxPendingCommands() - this.permits.availablePermits();
	}

	@Override
	public void close() {
		markClosed();
		awaitAndClose(System.nanoTime() + this.settings.closeTimeout().toNanos());
	}

	/**
	 * Refuse every new call from now on.
	 */
	void markClosed() {
		synchronized (this.lifecycleLock) {
			this.closed = true;
		}
	}

	/**
	 * Wait until the answers owed arrived or the deadline passed, then close the
	 * connection, failing what is left with {@link ProducerClosedException}. Only the
	 * first call does anything.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up waiting at
	 */
	void awaitAndClose(long deadlineNanos) {
		Session current;
		synchronized (this.lifecycleLock) {
			if (this.closeStarted) {
				return;
			}
			this.closeStarted = true;
			this.closed = true;
			current = this.session;
		}
		if (current != null && !current.retired) {
			// commands still buffered or waiting in a batch are owed too: send them now
			current.requestBatchSend();
			current.requestFlush();
		}
		int all = this.settings.maxPendingCommands();
		boolean drained = false;
		boolean interrupted = false;
		try {
			// every answer owed gives back its permit, so holding them all means nothing
			// is owed any more
			drained = this.permits.tryAcquire(all, Math.max(0, deadlineNanos - System.nanoTime()),
					TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		if (current != null) {
			// fails what is left with ProducerClosedException (see Session.onClose)
			current.connection.close();
		}
		if (drained) {
			// racing callers then find the producer closed instead of timing out
			this.permits.release(all);
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "NsqdProducer[" + this.addressText + (this.closed ? ", closed" : "") + "]";
	}

	/**
	 * Send a validated command. Never throws: every failure completes the returned
	 * future.
	 * @param command the command
	 * @param topic its topic
	 * @param messageCount the number of messages it publishes
	 * @param coalescable for a PUB, its body: it may then travel in an MPUB with other
	 * PUBs to the same topic; {@code null} otherwise
	 * @return the future, completed exceptionally at once when the command was not
	 * written
	 */
	@Override
	Pending submit(NsqCommand command, String topic, int messageCount, byte[] coalescable) {
		if (this.closed) {
			return Pending.failed(closedException());
		}
		if (!this.permits.tryAcquire()) {
			NsqException refused = awaitRoom();
			if (refused != null) {
				return Pending.failed(refused);
			}
		}
		Session current;
		try {
			current = session();
		}
		catch (NsqException ex) {
			this.permits.release();
			return Pending.failed(ex);
		}
		Pending pending = new Pending(current, topic, messageCount);
		if (!this.settings.coalesce()) {
			sendDirect(current, command, pending);
		}
		else {
			// every send of this session goes through sendLock, so a PUB waiting in the
			// open batch is never overtaken by a later command
			current.sendLock.lock();
			try {
				if (coalescable == null || !current.coalesce(pending, topic, coalescable)) {
					current.sendOpenBatch();
					sendDirect(current, command, pending);
				}
			}
			finally {
				current.sendLock.unlock();
			}
			current.afterSendUnlock();
		}
		if (current.dead) {
			// the reader may have drained the FIFO just before this command joined it
			current.drain();
			current.failOpenBatch();
		}
		return pending;
	}

	private void sendDirect(Session current, NsqCommand command, Pending pending) {
		// flush at once when nothing flushed is awaiting an answer (an idle pipeline);
		// otherwise leave the command buffered: the reader flushes when answers come
		boolean flush = current.shouldFlush();
		try {
			current.connection.send(command, pending, flush);
		}
		catch (NsqException ex) {
			if (!pending.enqueued) {
				// refused before the write: the reader will never see this one
				this.permits.release();
				pending.completeExceptionally(new NsqConnectionException("not published to nsqd " + this.addressText
						+ ": the connection closed before the command was written: " + ex.getMessage(), ex));
				return;
			}
			// written (maybe partly): the connection's close fails it
		}
		if (flush) {
			current.flushed(pending.sequence + 1);
		}
		else {
			current.afterBufferedWrite();
		}
	}

	private NsqException awaitRoom() {
		try {
			if (this.permits.tryAcquire(this.settings.pendingTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
				if (this.closed) {
					this.permits.release();
					return closedException();
				}
				return null;
			}
			return new NsqTimeoutException("not published: " + this.settings.maxPendingCommands() + " commands to nsqd "
					+ this.addressText + " (maxPendingCommands) still awaited an answer after "
					+ this.settings.pendingTimeout() + " (pendingTimeout)");
		}
		catch (InterruptedException ex) {
			// the caller's interrupt says nothing about nsqd: fail only this call
			Thread.currentThread().interrupt();
			return new NsqException("not published: interrupted while waiting for room among pending commands to nsqd "
					+ this.addressText);
		}
	}

	/**
	 * The open session, connecting when there is none.
	 */
	private Session session() {
		Session current = this.session;
		if (current != null && !current.retired) {
			return current;
		}
		synchronized (this.lifecycleLock) {
			current = this.session;
			if (current != null && !current.retired) {
				return current;
			}
			if (this.closed) {
				throw closedException();
			}
			long now = System.nanoTime();
			if (this.backingOff && now - this.retryAtNanos < 0) {
				throw new NsqConnectionException(
						"not published: nsqd " + this.addressText + " is unavailable ("
								+ this.lastConnectFailure.getMessage() + "); retrying in "
								+ TimeUnit.NANOSECONDS.toMillis(this.retryAtNanos - now) + "ms",
						this.lastConnectFailure);
			}
			Session fresh = new Session(this);
			try {
				fresh.connection = NsqConnection.open(this.address, this.settings.config(), fresh);
			}
			catch (NsqException ex) {
				if (Thread.currentThread().isInterrupted()) {
					// on a virtual thread an interrupt closes the socket being dialled:
					// that is the caller's doing, not a sign that nsqd is down
					throw new NsqConnectionException("not published: interrupted while connecting to nsqd "
							+ this.addressText + ": " + ex.getMessage(), ex);
				}
				recordConnectFailure(ex, now);
				throw new NsqConnectionException(
						"not published: connecting to nsqd " + this.addressText + " failed (" + ex.getMessage()
								+ "); next attempt in " + TimeUnit.NANOSECONDS.toMillis(this.retryAtNanos - now) + "ms",
						ex);
			}
			if (this.connectFailures > 0) {
				logger.info("Reconnected to nsqd {} after {} failed attempts", this.addressText, this.connectFailures);
			}
			this.connectFailures = 0;
			this.lastConnectFailure = null;
			this.backingOff = false;
			this.session = fresh;
			return fresh;
		}
	}

	private void recordConnectFailure(NsqException ex, long now) {
		this.connectFailures++;
		long max = this.settings.maxReconnectDelay().toNanos();
		long delay = Math.min(this.settings.minReconnectDelay().toNanos(), max);
		for (int i = 1; i < this.connectFailures && delay < max; i++) {
			delay = Math.min(delay * 2, max);
		}
		this.retryAtNanos = now + delay;
		this.backingOff = true;
		this.lastConnectFailure = ex;
		if (this.connectFailures == 1) {
			logger.warn("Cannot connect to nsqd {}: {}; retrying with backoff", this.addressText, ex.getMessage());
		}
		else {
			logger.debug("Cannot connect to nsqd {} ({} failures): {}", this.addressText, this.connectFailures,
					ex.getMessage());
		}
	}

	private ProducerClosedException closedException() {
		return new ProducerClosedException("producer for nsqd " + this.addressText + " is closed");
	}

	/**
	 * A future owed by nsqd. It is its own {@code beforeWrite} action: run under the
	 * connection's write lock, it joins the FIFO, so the FIFO order is the wire order and
	 * no other object is allocated per publish.
	 */
	static final class Pending extends CompletableFuture<PublishResult> implements Runnable, Entry {

		private final Session session;

		private final String topic;

		private final int messageCount;

		/** Set under the write lock when the command joined the FIFO. */
		boolean enqueued;

		/** Its position in the FIFO, set with enqueued. */
		long sequence;

		/**
		 * Whether nsqd may have read the command. {@code false} means the message was
		 * certainly not published, so a balancing producer may send it elsewhere.
		 */
		volatile boolean maybePublished;

		Pending(Session session, String topic, int messageCount) {
			this.session = session;
			this.topic = topic;
			this.messageCount = messageCount;
		}

		static Pending failed(Throwable failure) {
			Pending pending = new Pending(null, null, 0);
			pending.completeExceptionally(failure);
			return pending;
		}

		@Override
		public void run() {
			if (this.enqueued || this.session == null) {
				throw new IllegalStateException("already sent");
			}
			this.maybePublished = true;
			this.sequence = this.session.enqueue(this);
			this.enqueued = true;
		}

		@Override
		public int messages() {
			return this.messageCount;
		}

		@Override
		public int permits() {
			return 1;
		}

		@Override
		public void succeed(String address, Executor executor) {
			PublishResult result = new PublishResult(address, this.topic, this.messageCount);
			if (executor == null) {
				complete(result);
			}
			else {
				completeOn(executor, result, null);
			}
		}

		@Override
		public void fail(NsqException failure, boolean published, Executor executor) {
			this.maybePublished = published;
			if (executor == null) {
				completeExceptionally(failure);
			}
			else {
				completeOn(executor, null, failure);
			}
		}

		private void completeOn(Executor executor, PublishResult result, Throwable failure) {
			try {
				executor.execute(() -> {
					if (failure != null) {
						completeExceptionally(failure);
					}
					else {
						complete(result);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// never leave a caller hanging because the executor is shut down
				if (failure != null) {
					completeExceptionally(failure);
				}
				else {
					complete(result);
				}
			}
		}

	}

	/**
	 * What the FIFO holds: one command's worth of callers to answer.
	 */
	interface Entry {

		/** Messages the command publishes. */
		int messages();

		/** Pending-command permits its callers hold. */
		int permits();

		void succeed(String address, Executor executor);

		void fail(NsqException failure, boolean published, Executor executor);

	}

	/**
	 * PUBs to one topic sent together as one MPUB: nsqd answers once for all of them (one
	 * write, one answer instead of one each), which is where most of nsqd's cost per PUB
	 * goes. Each caller still gets its own result. MPUB is atomic, so the messages are
	 * published all together or not at all.
	 */
	static final class Batch implements Runnable, Entry {

		private final Session session;

		final List<Pending> members;

		boolean enqueued;

		long sequence;

		Batch(Session session, List<Pending> members) {
			this.session = session;
			this.members = members;
		}

		@Override
		public void run() {
			for (Pending member : this.members) {
				member.maybePublished = true;
				member.enqueued = true;
			}
			this.sequence = this.session.enqueue(this);
			this.enqueued = true;
		}

		@Override
		public int messages() {
			return this.members.size();
		}

		@Override
		public int permits() {
			return this.members.size();
		}

		@Override
		public void succeed(String address, Executor executor) {
			for (Pending member : this.members) {
				member.succeed(address, executor);
			}
		}

		@Override
		public void fail(NsqException failure, boolean published, Executor executor) {
			for (Pending member : this.members) {
				member.fail(failure, published, executor);
			}
		}

	}

	/**
	 * One connection and the futures it owes. The FIFO is a ring sized to the pending
	 * bound: the permit a caller holds guarantees its slot is free.
	 */
	static final class Session implements ConnectionHandler {

		private final NsqdProducer producer;

		private final Entry[] ring;

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

		private List<Pending> batchMembers;

		private List<byte[]> batchBodies;

		private long batchBytes;

		/** Messages in the open batch; written under sendLock, read by the reader. */
		private volatile int batchSize;

		/** requestBatchSend was called; cleared by the send that honours it. */
		private volatile boolean sendWanted;

		/**
		 * The FIFO position up to which commands were flushed, or are about to be by a
		 * flush already requested. Only grows.
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

		Session(NsqdProducer producer) {
			this.producer = producer;
			this.ring = new Entry[producer.ringCapacity];
			this.mask = producer.ringCapacity - 1;
		}

		long enqueue(Entry entry) {
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
		 * geometrically with the load and nsqd always has the next batch in its socket
		 * buffer before it finished the current one.
		 */
		boolean shouldFlush() {
			long flushedEnd = this.flushedTail.get();
			long inFlight = flushedEnd - this.head;
			return inFlight <= 0 || this.tail + 1 - flushedEnd >= inFlight;
		}

		/**
		 * Record that the commands before {@code end} are flushed (or a flush covering
		 * them is guaranteed).
		 */
		void flushed(long end) {
			this.flushedTail.accumulateAndGet(end, Math::max);
		}

		/**
		 * After a command was left in the buffer: flush it if the pipeline went idle in
		 * the meantime. The reader checks the same after each answer; as both sides write
		 * their own counter before reading the other's, at least one of them sees that a
		 * flush is needed, so no command can stay buffered.
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

		private void requestFlush() {
			flushed(this.tail);
			this.connection.requestFlush();
		}

		private Entry poll() {
			long h = this.head;
			if (h == this.tail) {
				return null;
			}
			int slot = (int) h & this.mask;
			Entry entry = this.ring[slot];
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
		 * flight, so waiting would only add latency). Sends the batch once it holds as
		 * many messages as are in flight, so batches grow with the load. Called with
		 * sendLock held.
		 * @return whether the publish joined a batch
		 */
		boolean coalesce(Pending pending, String topic, byte[] body) {
			if (this.dead) {
				return false;
			}
			if (this.batchSize > 0 && (!topic.equals(this.batchTopic)
					|| this.batchBytes + 4 + body.length > this.producer.settings.maxBodySize())) {
				sendOpenBatch();
			}
			if (this.batchSize == 0 && messagesInFlight() == 0) {
				return false;
			}
			if (this.batchSize == 0) {
				this.batchTopic = topic;
				this.batchMembers = new ArrayList<>();
				this.batchBodies = new ArrayList<>();
				this.batchBytes = 4;
			}
			this.batchMembers.add(pending);
			this.batchBodies.add(body);
			this.batchBytes += 4 + body.length;
			this.batchSize = this.batchMembers.size();
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
			Batch batch = new Batch(this, this.batchMembers);
			NsqCommand command = NsqCommand.mpub(this.batchTopic, this.batchBodies);
			this.batchMembers = null;
			this.batchBodies = null;
			this.batchSize = 0;
			try {
				this.connection.send(command, batch, true);
				flushed(batch.sequence + 1);
			}
			catch (NsqException ex) {
				if (!batch.enqueued) {
					this.producer.permits.release(batch.permits());
					batch.fail(notWritten(ex), false, this.producer.settings.callbackExecutor());
				}
			}
		}

		private NsqConnectionException notWritten(NsqException cause) {
			return new NsqConnectionException("not published to nsqd " + this.producer.addressText
					+ ": the connection closed before the command was written; safe to retry"
					+ ((cause != null) ? ": " + cause.getMessage() : ""), cause);
		}

		/**
		 * Send the open batch now, without waiting for sendLock: when another thread
		 * holds it, that thread sends the batch just after releasing it.
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
					Batch batch = new Batch(this, this.batchMembers);
					this.batchMembers = null;
					this.batchBodies = null;
					this.batchSize = 0;
					this.producer.permits.release(batch.permits());
					batch.fail(notWritten(this.closeCause), false, this.producer.settings.callbackExecutor());
				}
			}
			finally {
				this.sendLock.unlock();
			}
		}

		@Override
		public void onResponse(NsqConnection connection, Frame.Response response) {
			Entry pending = poll();
			if (pending == null) {
				logger.warn("Unexpected response from nsqd {} with no command awaiting an answer: {}; reconnecting",
						this.producer.addressText, response.text());
				this.retired = true;
				connection.close();
				return;
			}
			this.producer.permits.release(pending.permits());
			afterAnswer();
			afterAnswerBatch();
			if (response.isOk()) {
				pending.succeed(this.producer.addressText, this.producer.settings.callbackExecutor());
			}
			else {
				pending.fail(
						new NsqConnectionException("unexpected answer from nsqd " + this.producer.addressText + " to "
								+ "a publish: " + response.text() + "; the message may or may not have been published"),
						true, this.producer.settings.callbackExecutor());
				this.retired = true;
				connection.close();
			}
		}

		@Override
		public void onError(NsqConnection connection, Frame.Error error) {
			Entry pending = poll();
			NsqProtocolException failure = NsqProtocolException.fromErrorFrame(error.text());
			if (failure.isFatal()) {
				// nsqd closes the connection after this and reads nothing more from it:
				// the commands behind this one were not published
				this.fatalError = failure;
				this.retired = true;
			}
			if (pending == null) {
				logger.warn("Error from nsqd {} with no command awaiting an answer: {}", this.producer.addressText,
						error.text());
				return;
			}
			this.producer.permits.release(pending.permits());
			if (!failure.isFatal()) {
				afterAnswer();
				afterAnswerBatch();
			}
			pending.fail(failure, false, this.producer.settings.callbackExecutor());
			if (failure.isFatal()) {
				connection.close();
			}
		}

		@Override
		public void onClose(NsqConnection connection, Throwable cause) {
			this.retired = true;
			NsqdProducer p = this.producer;
			String address = p.addressText;
			NsqProtocolException fatal = this.fatalError;
			if (fatal != null) {
				this.closeCause = new NsqConnectionException(
						"not published: nsqd " + address + " closed the connection after rejecting an earlier command ("
								+ fatal.serverText() + "), so it did not read this one; safe to retry",
						fatal);
			}
			else if (p.closed) {
				this.closeCause = new ProducerClosedException("producer for nsqd " + address
						+ " closed before nsqd answered: the message may or may not have been published");
			}
			else {
				String reason = (cause != null) ? cause.getMessage() : "closed";
				this.closeCause = new NsqConnectionException("connection to nsqd " + address
						+ " lost before it answered (" + reason + "): the message may or may not have been published",
						cause);
			}
			this.dead = true;
			drain();
			failOpenBatch();
		}

		/**
		 * Fail every future still in the FIFO. Called by the reader thread once the
		 * connection closed, and by a writer that finds the session dead after joining
		 * the FIFO; synchronised because both may run it.
		 */
		synchronized void drain() {
			NsqException cause = this.closeCause;
			// behind a fatal error nsqd read nothing more; otherwise it may have
			boolean published = this.fatalError == null;
			Entry pending;
			while ((pending = poll()) != null) {
				this.producer.permits.release(pending.permits());
				pending.fail(cause, published, this.producer.settings.callbackExecutor());
			}
		}

	}

}
