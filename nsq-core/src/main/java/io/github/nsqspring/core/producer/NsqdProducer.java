package io.github.nsqspring.core.producer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

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
 * <b>Allocation.</b> A PUB allocates its future and nothing else: the future writes the
 * PUB itself (line kept per topic, no command object), coalesced PUBs are chained through
 * their futures and written as one MPUB by the session, results of single messages are
 * shared per topic, and nsqd's {@code OK} is one shared frame.
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
 * answers are gathered into one MPUB (chained futures, see {@link NsqdSession}), sent
 * once the batch holds as many messages as are in flight. nsqd's cost per PUB is mostly
 * its answer (a write and a flush per command); one MPUB answers for the whole batch. All
 * sends of a session then go through one lock so a PUB waiting in a batch is never
 * overtaken; a PUB that finds the lock held is handed to its holder instead of waiting
 * for it ({@link NsqdSession#sendPub}), so callers never queue behind another caller's
 * socket write.
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

	/**
	 * The result of a single-message publish per topic: immutable, so every PUB and DPUB
	 * to a topic completes with the same instance instead of a new one.
	 */
	private final Map<String, PublishResult> singleResults = new ConcurrentHashMap<>();

	private final Object lifecycleLock = new Object();

	private volatile NsqdSession session;

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

	/**
	 * Messages this nsqd acknowledged. Only the reader thread of the open session adds to
	 * it, on each OK, and that thread itself retires its session (a volatile write that
	 * the opening of the next session reads) before another session can open, so one
	 * thread writes at a time: an ordered write of the sum is exact and costs no atomic
	 * instruction per answer.
	 */
	private final AtomicLong publishedMessages = new AtomicLong();

	/** Messages that failed on this nsqd; counted on failure paths only. */
	private final AtomicLong failedMessages = new AtomicLong();

	/** The last error since a connection was opened, message only. */
	private volatile String lastError;

	/**
	 * A producer for one nsqd, counting its callers' failures itself.
	 * @param address the nsqd address
	 * @param settings the settings
	 */
	NsqdProducer(NsqAddress address, ProducerSettings settings) {
		this(address, settings, new AtomicLong());
	}

	/**
	 * A producer for one nsqd, one node of a producer over several.
	 * @param address the nsqd address
	 * @param settings the settings
	 * @param failedPublishes where the owning producer counts its callers' failures
	 */
	NsqdProducer(NsqAddress address, ProducerSettings settings, AtomicLong failedPublishes) {
		super(settings, failedPublishes);
		this.address = address;
		this.addressText = address.toString();
		this.settings = settings;
		this.permits = new Semaphore(settings.producer().getMaxPendingCommands());
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
		NsqdSession current = this.session;
		return (current != null && !current.retired) || !this.backingOff || System.nanoTime() - this.retryAtNanos >= 0;
	}

	/**
	 * Whether a connection to this nsqd is open now.
	 * @return {@code true} when connected
	 */
	boolean isConnected() {
		NsqdSession current = this.session;
		return current != null && !current.retired;
	}

	/**
	 * Whether {@link #close()} (or {@link #markClosed()}) was called.
	 * @return {@code true} once closed
	 */
	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Commands written and not yet answered, plus callers holding room for one.
	 * @return the count
	 */
	int pendingCount() {
		return this.settings.producer().getMaxPendingCommands() - this.permits.availablePermits();
	}

	/**
	 * Count messages acknowledged by nsqd. Called by the session's reader thread only
	 * (see {@link #publishedMessages}), before the callers' futures complete.
	 * @param messages the messages of the answered command
	 */
	void published(long messages) {
		this.publishedMessages.lazySet(this.publishedMessages.get() + messages);
	}

	/**
	 * Count messages that failed on this nsqd, for the owning producer too. Called before
	 * their futures complete, so a caller who saw the failure sees it counted.
	 * @param messages the messages
	 */
	void failed(long messages) {
		this.failedMessages.addAndGet(messages);
		this.failedPublishes.addAndGet(messages);
	}

	/**
	 * Remember the last error of this nsqd (an error answer, a lost connection).
	 * @param message the error message, which never holds secrets
	 */
	void lastError(String message) {
		this.lastError = message;
	}

	/**
	 * This nsqd's state and counts.
	 * @return the snapshot
	 */
	ProducerNodeStats nodeStats() {
		ProducerNodeStats.State state;
		if (this.closed) {
			state = ProducerNodeStats.State.CLOSED;
		}
		else if (isConnected()) {
			state = ProducerNodeStats.State.CONNECTED;
		}
		else {
			state = this.backingOff ? ProducerNodeStats.State.RETRYING : ProducerNodeStats.State.NOT_CONNECTED;
		}
		return new ProducerNodeStats(this.addressText, state, pendingCount(), this.publishedMessages.get(),
				this.failedMessages.get(), this.lastError);
	}

	@Override
	public ProducerStats stats() {
		ProducerNodeStats node = nodeStats();
		return new ProducerStats(node.published(), this.failedPublishes.get(), node.pending(), List.of(node));
	}

	@Override
	public void close() {
		markClosed();
		awaitAndClose(System.nanoTime() + this.settings.producer().getCloseTimeout().toNanos());
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
		NsqdSession current;
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
		int all = this.settings.producer().getMaxPendingCommands();
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
			// fails what is left with ProducerClosedException (see NsqdSession.onClose)
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
	 * @param command the command, or {@code null} for a PUB of {@code pubBody}, which may
	 * then travel in an MPUB with other PUBs to the same topic
	 * @param topic its topic
	 * @param messageCount the number of messages it publishes
	 * @param pubBody the PUB's message when {@code command} is {@code null}
	 * @return the future, completed exceptionally at once when the command was not
	 * written
	 */
	@Override
	PendingPublish submit(NsqCommand command, String topic, int messageCount, byte[] pubBody) {
		if (this.closed) {
			return failedNow(closedException(), messageCount);
		}
		if (!this.permits.tryAcquire()) {
			NsqException refused = awaitRoom();
			if (refused != null) {
				return failedNow(refused, messageCount);
			}
		}
		NsqdSession current;
		try {
			current = session();
		}
		catch (NsqException ex) {
			this.permits.release();
			return failedNow(ex, messageCount);
		}
		PendingPublish pending = new PendingPublish(current, result(topic, messageCount), pubBody);
		// a PUB writes itself: no command object per message
		WireCommand wire = (command != null) ? command : pending;
		if (!this.settings.producer().isCoalescePublishes()) {
			sendDirect(current, wire, pending);
		}
		else if (command == null) {
			current.sendPub(pending);
		}
		else {
			// every send of this session goes through sendLock, so a PUB waiting in the
			// open batch, or handed over, is never overtaken by a later command
			current.sendLock.lock();
			try {
				current.takeHandoffs();
				current.sendOpenBatch();
				sendDirect(current, command, pending);
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

	private PendingPublish failedNow(NsqException failure, int messageCount) {
		failed(messageCount);
		return PendingPublish.failed(failure);
	}

	private PublishResult result(String topic, int messageCount) {
		if (messageCount != 1) {
			return new PublishResult(this.addressText, topic, messageCount);
		}
		PublishResult known = this.singleResults.get(topic);
		if (known == null) {
			known = new PublishResult(this.addressText, topic, 1);
			// as many as Commands keeps lines for
			if (this.singleResults.size() < 1024) {
				this.singleResults.putIfAbsent(topic, known);
			}
		}
		return known;
	}

	/**
	 * Write a command as its own, on any thread that may send on the session (under
	 * sendLock when publishes are coalesced). Never throws: a command that could not be
	 * written fails its future.
	 * @param current the session
	 * @param command the command
	 * @param pending its future, also its {@code beforeWrite} action
	 */
	void sendDirect(NsqdSession current, WireCommand command, PendingPublish pending) {
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
				failed(pending.messages());
				pending.completeExceptionally(current.notWritten(ex));
				return;
			}
			// written (maybe partly): the connection's close fails it
		}
		finally {
			// refused, or the write failed part-way (a written PUB dropped it already):
			// the caller keeping the future must not keep the message
			pending.body = null;
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
			if (this.permits.tryAcquire(this.settings.producer().getPendingTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
				if (this.closed) {
					this.permits.release();
					return closedException();
				}
				return null;
			}
			NsqTimeoutException timeout = new NsqTimeoutException(
					"not published: " + this.settings.producer().getMaxPendingCommands() + " commands to nsqd "
							+ this.addressText + " (maxPendingCommands) still awaited an answer after "
							+ this.settings.producer().getPendingTimeout() + " (pendingTimeout)");
			lastError(timeout.getMessage());
			return timeout;
		}
		catch (InterruptedException ex) {
			// the caller's interrupt says nothing about nsqd: fail only this call
			Thread.currentThread().interrupt();
			return new NsqException("not published: interrupted while waiting for room among pending commands to nsqd "
					+ this.addressText);
		}
	}

	/**
	 * The session now, without connecting.
	 * @return the session, or {@code null} before the first publish
	 */
	NsqdSession currentSession() {
		return this.session;
	}

	/**
	 * The open session, connecting when there is none.
	 */
	private NsqdSession session() {
		NsqdSession current = this.session;
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
			NsqdSession fresh = new NsqdSession(this, this.addressText, this.settings, this.permits);
			try {
				fresh.connection = NsqConnection.open(this.address, this.settings.connection(), fresh);
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
			this.lastError = null;
			this.backingOff = false;
			this.session = fresh;
			return fresh;
		}
	}

	private void recordConnectFailure(NsqException ex, long now) {
		this.connectFailures++;
		long max = this.settings.producer().getMaxReconnectDelay().toNanos();
		long delay = Math.min(this.settings.producer().getMinReconnectDelay().toNanos(), max);
		for (int i = 1; i < this.connectFailures && delay < max; i++) {
			delay = Math.min(delay * 2, max);
		}
		this.retryAtNanos = now + delay;
		this.backingOff = true;
		this.lastConnectFailure = ex;
		this.lastError = ex.getMessage();
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

}
