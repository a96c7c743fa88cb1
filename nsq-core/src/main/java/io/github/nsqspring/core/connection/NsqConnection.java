package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.FrameReader;
import io.github.nsqspring.core.protocol.MessageReceiver;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * One TCP connection to nsqd speaking protocol V2.
 * <p>
 * {@link #open} dials, sends the magic and IDENTIFY with every option of the
 * {@link NsqConnectionConfig}, performs the upgrades nsqd negotiated (TLS on the open
 * socket, then snappy or deflate) and AUTH when nsqd requires it, then starts one reader
 * thread ({@code nsq-reader-<address>}, daemon). The reader answers heartbeats with NOP,
 * never shows them to the {@link ConnectionHandler}, and hands every other frame to it in
 * wire order.
 * <p>
 * {@link #send} may be called from any thread. Commands are written into one buffer under
 * a lock; a writer that finds others waiting behind it leaves the flush to the last of
 * them, so many concurrent writers share few system calls. A write blocked longer than
 * {@code write_timeout} closes the connection; so does silence longer than
 * {@code read_timeout}.
 * <p>
 * When TLS is enabled in the configuration but nsqd does not negotiate it, the connection
 * is refused rather than continued in plain text (go-nsq continues silently).
 */
public final class NsqConnection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NsqConnection.class);

	private final NsqAddress address;

	private final String source;

	private final NsqConnectionConfig config;

	private final ConnectionHandler handler;

	/**
	 * The TCP socket under any TLS layer: closing it unblocks every reader and writer.
	 */
	private final Socket socket;

	private final IdentifyResponse identifyResponse;

	private final AuthResponse authResponse;

	private final WatchedInput input;

	private final FrameReader reader;

	private final OutputBuffer out;

	private final ReentrantLock writeLock = new ReentrantLock();

	private final AtomicInteger writers = new AtomicInteger();

	private final AtomicBoolean closing = new AtomicBoolean();

	private final AtomicBoolean terminated = new AtomicBoolean();

	private final long readTimeoutNanos;

	private final long writeTimeoutNanos;

	private final Thread readerThread;

	private final ConnectionWatchdog.Watched timeouts = this::checkTimeouts;

	/** A writer left its flush to the writers queued behind it; guarded by writeLock. */
	private boolean flushOwed;

	/** requestFlush was called; cleared by the flush that honours it. */
	private volatile boolean flushRequested;

	private volatile NsqException failure;

	private volatile NsqProtocolException lastFatalError;

	private NsqConnection(Handshake handshake, NsqConnectionConfig config, ConnectionHandler handler) {
		this.address = handshake.address;
		this.source = "nsqd " + handshake.address;
		this.config = config;
		this.handler = handler;
		this.socket = handshake.socket;
		this.identifyResponse = handshake.identify;
		this.authResponse = handshake.auth;
		this.input = handshake.input;
		this.reader = handshake.reader;
		this.out = handshake.out;
		this.readTimeoutNanos = config.getReadTimeout().toNanos();
		this.writeTimeoutNanos = config.getWriteTimeout().toNanos();
		this.readerThread = new Thread(this::readLoop, "nsq-reader-" + handshake.address);
		this.readerThread.setDaemon(true);
	}

	/**
	 * Connect to nsqd to publish: negotiate everything the connection settings ask for,
	 * with nsqd's default {@code msg_timeout} and no {@code max_msg_size} (both only
	 * matter to a subscriber; nsqd's answers to a publisher are small).
	 * @param address the nsqd TCP address
	 * @param config the connection settings
	 * @param handler receives frames and the close
	 * @return the open connection, its reader thread started
	 * @throws NsqConnectionException when nsqd cannot be reached or the handshake fails
	 * @throws NsqTimeoutException when dialing or a handshake read times out
	 * @throws NsqProtocolException when nsqd rejects IDENTIFY
	 * @throws NsqAuthException when AUTH is required and no secret is configured, or AUTH
	 * fails
	 * @throws io.github.nsqspring.core.NsqConfigException when snappy is enabled without
	 * snappy-java on the classpath, or TLS files cannot be read
	 */
	public static NsqConnection open(NsqAddress address, NsqConnectionConfig config, ConnectionHandler handler) {
		return open(address, config, Duration.ZERO, 0, handler);
	}

	/**
	 * Connect to nsqd to subscribe: negotiate everything the connection section asks for,
	 * plus the consumer section's {@code msg_timeout} (sent in IDENTIFY) and
	 * {@code max_msg_size} (the largest frame read).
	 * @param address the nsqd TCP address
	 * @param config the configuration
	 * @param handler receives frames and the close
	 * @return the open connection, its reader thread started
	 * @throws NsqConnectionException when nsqd cannot be reached or the handshake fails
	 * @throws NsqTimeoutException when dialing or a handshake read times out
	 * @throws NsqProtocolException when nsqd rejects IDENTIFY
	 * @throws NsqAuthException when AUTH is required and no secret is configured, or AUTH
	 * fails
	 * @throws io.github.nsqspring.core.NsqConfigException when snappy is enabled without
	 * snappy-java on the classpath, or TLS files cannot be read
	 */
	public static NsqConnection open(NsqAddress address, NsqConfig config, ConnectionHandler handler) {
		return open(address, config.connection(), config.consumer().getMsgTimeout(), config.consumer().getMaxMsgSize(),
				handler);
	}

	private static NsqConnection open(NsqAddress address, NsqConnectionConfig config, Duration msgTimeout,
			int maxMsgSize, ConnectionHandler handler) {
		if (config.isSnappy()) {
			Compression.requireSnappy();
		}
		Handshake handshake = Handshake.perform(address, config, msgTimeout, maxMsgSize);
		NsqConnection connection = new NsqConnection(handshake, config, handler);
		ConnectionWatchdog.watch(connection.timeouts);
		connection.readerThread.start();
		return connection;
	}

	/**
	 * The nsqd address this connection was opened to.
	 * @return the address
	 */
	public NsqAddress address() {
		return this.address;
	}

	/**
	 * What nsqd answered to IDENTIFY.
	 * @return the answer
	 */
	public IdentifyResponse identifyResponse() {
		return this.identifyResponse;
	}

	/**
	 * What nsqd answered to AUTH.
	 * @return the answer, or {@code null} when nsqd did not require AUTH
	 */
	public AuthResponse authResponse() {
		return this.authResponse;
	}

	/**
	 * The connection settings the connection was opened with.
	 * @return the settings
	 */
	public NsqConnectionConfig config() {
		return this.config;
	}

	/**
	 * Whether the connection is usable: not closed and not failed.
	 * @return {@code true} while open
	 */
	public boolean isOpen() {
		return !this.closing.get() && !this.terminated.get();
	}

	/**
	 * Why the connection failed, if it did.
	 * @return the failure, or {@code null} while open or after a requested close
	 */
	public NsqException failure() {
		return this.failure;
	}

	/**
	 * Write a command.
	 * @param command the command
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(NsqCommand command) {
		send(command, null);
	}

	/**
	 * Write a command, running {@code beforeWrite} under the write lock first. Used to
	 * record what the command expects (e.g. a pending answer) in exactly the order
	 * commands reach the wire.
	 * @param command the command
	 * @param beforeWrite run just before the command is written, may be {@code null}; if
	 * it throws, the command is not written
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(NsqCommand command, Runnable beforeWrite) {
		send(command, beforeWrite, true);
	}

	/**
	 * Write a command, flushing it or leaving it in the buffer. A command written with
	 * {@code flush == false} stays buffered until a later flush (any {@code send} with
	 * {@code flush == true}, {@link #requestFlush()}, or a full buffer); the caller is
	 * responsible for making sure one happens. Used by producers that batch their own
	 * flushes (see {@code NsqdProducer}). The command may be any {@link WireCommand}: a
	 * producer that encodes its publishes itself writes them without an
	 * {@link NsqCommand} per message.
	 * @param command the command
	 * @param beforeWrite run just before the command is written, may be {@code null}; if
	 * it throws, the command is not written
	 * @param flush whether this command has to be flushed (possibly by a writer queued
	 * behind it)
	 * @throws NsqConnectionException when the connection is closed or the write fails
	 * (the connection is then closed)
	 */
	public void send(WireCommand command, Runnable beforeWrite, boolean flush) {
		this.writers.incrementAndGet();
		this.writeLock.lock();
		IOException writeFailure = null;
		try {
			boolean countReleased = false;
			try {
				if (!isOpen()) {
					throw closedException();
				}
				if (beforeWrite != null) {
					beforeWrite.run();
				}
				command.writeTo(this.out);
				countReleased = true;
				if (this.writers.decrementAndGet() == 0) {
					if (flush || this.flushOwed || this.flushRequested) {
						flushLocked();
					}
				}
				else if (flush) {
					// a writer queued behind this one flushes for both
					this.flushOwed = true;
				}
			}
			catch (IOException ex) {
				writeFailure = ex;
			}
			finally {
				if (!countReleased && this.writers.decrementAndGet() == 0 && writeFailure == null && isOpen()
						&& (this.flushOwed || this.flushRequested)) {
					// this command was not written, but earlier writers left their flush
					// to it
					try {
						flushLocked();
					}
					catch (IOException ex) {
						writeFailure = ex;
					}
				}
			}
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			failWrite(writeFailure);
		}
		if (this.flushRequested) {
			// requested while this writer held the lock: see requestFlush
			requestFlush();
		}
	}

	/**
	 * Flush buffered commands without ever waiting for the write lock, so the reader
	 * thread may call it: when another thread holds the lock, that thread (or the next
	 * holder) flushes before or just after releasing it. Write failures close the
	 * connection and are reported through {@link ConnectionHandler#onClose}.
	 */
	public void requestFlush() {
		this.flushRequested = true;
		if (!this.writeLock.tryLock()) {
			// the holder re-checks flushRequested after unlocking
			return;
		}
		IOException writeFailure = null;
		try {
			if (this.flushRequested && this.writers.get() == 0 && isOpen()) {
				flushLocked();
			}
		}
		catch (IOException ex) {
			writeFailure = ex;
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			try {
				failWrite(writeFailure);
			}
			catch (NsqException ex) {
				// reported through onClose
			}
		}
	}

	private void flushLocked() throws IOException {
		this.flushOwed = false;
		this.flushRequested = false;
		this.out.flush();
	}

	/**
	 * Flush commands written with {@code send(command, beforeWrite, false)}, waiting for
	 * the write lock (use {@link #requestFlush()} on threads that must not wait). A flush
	 * that finds other writers waiting leaves it to them. Does nothing on a closed
	 * connection.
	 * @throws NsqConnectionException when the write fails (the connection is then closed)
	 */
	public void flush() {
		this.writers.incrementAndGet();
		this.writeLock.lock();
		IOException writeFailure = null;
		try {
			if (this.writers.decrementAndGet() == 0) {
				if (isOpen()) {
					flushLocked();
				}
			}
			else {
				// a writer queued behind flushes for both, even one that sends without
				// flush
				this.flushOwed = true;
			}
		}
		catch (IOException ex) {
			writeFailure = ex;
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			failWrite(writeFailure);
		}
	}

	private void failWrite(IOException writeFailure) {
		NsqException failure = (this.failure != null) ? this.failure
				: new NsqConnectionException("write to " + this.source + " failed: " + writeFailure, writeFailure);
		terminate(failure);
		throw failure;
	}

	/**
	 * Flush everything written so far, then close, as one step under the write lock: a
	 * command written without flush before this call reaches nsqd even when another
	 * thread is queued to flush it ({@link #flush()} leaves its flush to such a thread,
	 * which would find the connection closed), and no command slips in between the flush
	 * and the close. Otherwise as {@link #close()}; a failing flush closes the connection
	 * with that failure instead.
	 * @throws NsqConnectionException when the flush fails
	 */
	public void flushAndClose() {
		IOException writeFailure = null;
		this.writeLock.lock();
		try {
			if (isOpen()) {
				flushLocked();
			}
			startClose();
		}
		catch (IOException ex) {
			writeFailure = ex;
		}
		finally {
			this.writeLock.unlock();
		}
		if (writeFailure != null) {
			failWrite(writeFailure);
		}
		close();
	}

	/**
	 * Close the socket now. Frames not yet read are dropped; commands not yet flushed are
	 * lost. The handler's {@link ConnectionHandler#onClose} is called once, with a
	 * {@code null} cause. Waits briefly for the reader thread to end unless called from
	 * it. Idempotent.
	 */
	@Override
	public void close() {
		startClose();
		if (Thread.currentThread() != this.readerThread) {
			try {
				this.readerThread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Mark the connection closing and close its socket, once: the reader then reports the
	 * close with no cause.
	 */
	private void startClose() {
		if (this.closing.compareAndSet(false, true)) {
			closeSocket();
		}
	}

	/**
	 * Close the connection when a write has been blocked longer than
	 * {@code write_timeout}, or a read has waited longer than {@code read_timeout}
	 * ({@link ConnectionWatchdog}).
	 */
	private void checkTimeouts(long now) {
		if (this.out.overran(now, this.writeTimeoutNanos)) {
			terminate(new NsqTimeoutException("write to " + this.source + " blocked longer than write_timeout ("
					+ this.config.getWriteTimeout() + "); closing the connection"));
		}
		else if (this.input.overran(now, this.readTimeoutNanos)) {
			terminate(new NsqTimeoutException("no data from " + this.source + " within read_timeout ("
					+ this.config.getReadTimeout() + "); closing the connection"));
		}
	}

	private void readLoop() {
		NsqException cause = null;
		ConnectionHandler handler = this.handler;
		MessageReceiver messages = (timestamp, attempts, idHigh, idLow, body) -> handler.onMessage(this, timestamp,
				attempts, idHigh, idLow, body);
		int batchMessages = 0;
		try {
			while (isOpen()) {
				Frame frame = this.reader.read(messages);
				if (frame == null) {
					// a message, given to the handler
					batchMessages++;
				}
				if (!this.reader.hasBufferedFrame()) {
					int count = batchMessages;
					batchMessages = 0;
					handler.onReadBatchEnd(this, count);
				}
				if (frame == null) {
					continue;
				}
				if (frame instanceof Frame.Response response) {
					if (response.isHeartbeat()) {
						send(NsqCommand.nop());
					}
					else {
						this.handler.onResponse(this, response);
					}
				}
				else {
					Frame.Error error = (Frame.Error) frame;
					if (error.code().isFatal()) {
						this.lastFatalError = NsqProtocolException.fromErrorFrame(error.text());
					}
					this.handler.onError(this, error);
				}
			}
		}
		catch (IOException ex) {
			cause = new NsqConnectionException("connection to " + this.source + " lost: " + ex, ex);
		}
		catch (NsqConnectionException ex) {
			// a fatal error frame explains an end of stream better than the end of stream
			// itself
			cause = (this.lastFatalError != null) ? this.lastFatalError : ex;
		}
		catch (NsqException ex) {
			cause = ex;
		}
		catch (RuntimeException | Error ex) {
			cause = new NsqConnectionException("handler of " + this.source + " failed; closing the connection: " + ex,
					ex);
		}
		finally {
			try {
				// what was queued before a failure still wakes its consumers
				handler.onReadBatchEnd(this, batchMessages);
			}
			catch (RuntimeException ex) {
				logger.debug("Batch end handler of {} failed", this.source, ex);
			}
			terminate(cause);
			notifyClosed();
		}
	}

	private void terminate(NsqException cause) {
		if (this.terminated.compareAndSet(false, true)) {
			if (!this.closing.get() && cause != null) {
				this.failure = cause;
			}
			closeSocket();
		}
	}

	private void notifyClosed() {
		ConnectionWatchdog.unwatch(this.timeouts);
		NsqException cause = this.closing.get() ? null : this.failure;
		if (cause != null) {
			logger.debug("Connection to {} closed: {}", this.source, cause.getMessage());
		}
		try {
			this.handler.onClose(this, cause);
		}
		catch (RuntimeException ex) {
			logger.warn("Close handler of {} failed", this.source, ex);
		}
	}

	private void closeSocket() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Closing socket to {} failed", this.source, ex);
		}
	}

	private NsqException closedException() {
		NsqException failure = this.failure;
		if (failure != null) {
			return new NsqConnectionException("connection to " + this.source + " is closed: " + failure.getMessage(),
					failure);
		}
		return new NsqConnectionException("connection to " + this.source + " is closed");
	}

	@Override
	public String toString() {
		return "NsqConnection[" + this.address + (isOpen() ? "" : ", closed") + "]";
	}

}
