package io.github.nsqspring.core.consumer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;

import io.github.nsqspring.core.connection.ConnectionHandler;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.MessageId;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;

/**
 * A consumer's view of one nsqd connection: its RDY state (guarded by the
 * {@link RdyController}'s lock), its in-flight count and its close state. Receives the
 * connection's frames: messages go to the {@link WorkerPool}, everything else to the
 * {@link ConnectionManager}.
 * <p>
 * The parts write to nsqd only through {@link #send}, {@link #write} and {@link #flush},
 * so that each part can be tested against a connection that records what it is given.
 * (Without such a subclass loaded the JIT binds these calls statically.)
 */
class ConsumerConnection implements ConnectionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ConsumerConnection.class);

	/** "Long ago" for connections that never got a message or a RDY. */
	private static final long LONG_AGO = TimeUnit.DAYS.toNanos(1);

	final ConnectionManager manager;

	final WorkerPool workers;

	final NsqAddress address;

	final String addressText;

	/** Set once {@link NsqConnection#open} returned. */
	volatile NsqConnection connection;

	/** The RDY count last sent (guarded by the RdyController's lock). */
	long rdy;

	/** nsqd's max_rdy_count (guarded by the RdyController's lock). */
	long maxRdy;

	/** When the last non-zero RDY was sent (guarded by the RdyController's lock). */
	long lastRdyNanos;

	/** A pending "retry this RDY update in 5 s" (guarded by the RdyController's lock). */
	ScheduledFuture<?> rdyRetry;

	/**
	 * Since when this connection has been waiting at RDY 0 for a turn (guarded by the
	 * RdyController's lock).
	 */
	long rdyWaitingSinceNanos;

	volatile long lastMessageNanos;

	final InFlightCount inFlight = new InFlightCount();

	/** No more RDY: draining before a close (stop, or the nsqd left nsqlookupd). */
	volatile boolean closing;

	/** nsqd answered CLS with CLOSE_WAIT. */
	volatile boolean closeWait;

	/** The socket is closed. */
	volatile boolean closed;

	/** Completed by nsqd's OK to SUB, failed when the connection closes first. */
	final CompletableFuture<Void> subscribed = new CompletableFuture<>();

	private final AtomicBoolean clsSent = new AtomicBoolean();

	/** Messages finished on this connection (FIN written). */
	final LongAdder finished = new LongAdder();

	/** Messages requeued on this connection (REQ written). */
	final LongAdder requeued = new LongAdder();

	/** The last error nsqd sent or the connection failed with (message only). */
	volatile String lastError;

	/** Consecutive lookupd answers without this nsqd (lookupd thread only). */
	int absentFromLookupd;

	final boolean discovered;

	final long createdNanos = System.nanoTime();

	ConsumerConnection(ConnectionManager manager, WorkerPool workers, NsqAddress address, boolean discovered) {
		this.manager = manager;
		this.workers = workers;
		this.address = address;
		this.addressText = address.toString();
		this.discovered = discovered;
		long now = System.nanoTime();
		this.lastMessageNanos = now - LONG_AGO;
		this.lastRdyNanos = now - LONG_AGO;
	}

	/**
	 * Write a command and flush it.
	 * @param command the command
	 * @throws io.github.nsqspring.core.NsqException when the connection is closed or the
	 * write fails
	 */
	void send(WireCommand command) {
		this.connection.send(command, null, true);
	}

	/**
	 * Write a command without flushing it: a later {@link #flush()} (or any flushing
	 * write) sends it.
	 * @param command the command
	 * @throws io.github.nsqspring.core.NsqException when the connection is closed or the
	 * write fails
	 */
	void write(WireCommand command) {
		this.connection.send(command, null, false);
	}

	/**
	 * Flush what was written without flush.
	 * @throws io.github.nsqspring.core.NsqException when the write fails
	 */
	void flush() {
		this.connection.flush();
	}

	/**
	 * Send CLS, unless it was sent already: nsqd answers a second one with a fatal
	 * {@code E_INVALID}.
	 */
	void sendCls() {
		if (this.clsSent.compareAndSet(false, true)) {
			try {
				send(NsqCommand.cls());
			}
			catch (NsqException ex) {
				logger.debug("CLS to {} failed: {}", this, ex.getMessage());
			}
		}
	}

	/**
	 * A message of a draining connection was answered: the answer is flushed at once (a
	 * stopping consumer does not batch its answers), and the connection may now be
	 * closed.
	 */
	void answeredWhileClosing() {
		try {
			flush();
		}
		catch (NsqException ex) {
			logger.debug("Flush to {} failed: {}", this, ex.getMessage());
		}
		this.manager.checkDrained(this);
	}

	@Override
	public void onMessage(NsqConnection connection, long timestamp, int attempts, long idHigh, long idLow,
			byte[] body) {
		this.workers.onMessage(this, timestamp, attempts, idHigh, idLow, body);
	}

	@Override
	public void onReadBatchEnd(NsqConnection connection, int messages) {
		this.workers.onReadBatchEnd(this, messages);
	}

	@Override
	public void onMessage(NsqConnection connection, Frame.Message message) {
		this.workers.onMessage(this, message.timestamp(), message.attempts(), MessageId.high(message.id()),
				MessageId.low(message.id()), message.body());
		this.workers.onReadBatchEnd(this, 1);
	}

	@Override
	public void onResponse(NsqConnection connection, Frame.Response response) {
		if (response.isCloseWait()) {
			this.closeWait = true;
			this.manager.checkDrained(this);
		}
		else if (response.isOk()) {
			// IDENTIFY and AUTH were answered before the reader started: this is SUB's
			this.subscribed.complete(null);
		}
	}

	@Override
	public void onError(NsqConnection connection, Frame.Error error) {
		this.lastError = error.text();
		this.manager.onError(this, error);
	}

	@Override
	public void onClose(NsqConnection connection, Throwable cause) {
		this.closed = true;
		if (cause != null) {
			this.lastError = cause.getMessage();
		}
		this.subscribed.completeExceptionally((cause != null) ? cause : new NsqConnectionException(
				"connection to nsqd " + this.addressText + " closed before SUB was answered"));
		this.manager.onConnectionClosed(this, cause);
	}

	@Override
	public String toString() {
		return this.addressText;
	}

}
