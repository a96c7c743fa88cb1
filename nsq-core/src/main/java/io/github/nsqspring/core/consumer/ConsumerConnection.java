package io.github.nsqspring.core.consumer;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.connection.ConnectionHandler;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.Frame;

/**
 * A consumer's view of one nsqd connection: its RDY state (guarded by the consumer's
 * lock), its in-flight count and its close state. Receives the connection's frames and
 * passes them to the consumer.
 */
final class ConsumerConnection implements ConnectionHandler {

	/** "Long ago" for connections that never got a message or a RDY. */
	private static final long LONG_AGO = TimeUnit.DAYS.toNanos(1);

	final DefaultNsqConsumer consumer;

	final NsqAddress address;

	final String addressText;

	/** Set once {@link NsqConnection#open} returned. */
	volatile NsqConnection connection;

	/** The RDY count last sent (guarded by the consumer's lock). */
	long rdy;

	/** nsqd's max_rdy_count (guarded by the consumer's lock). */
	long maxRdy;

	/** When the last non-zero RDY was sent (guarded by the consumer's lock). */
	long lastRdyNanos;

	/** A pending "retry this RDY update in 5 s" (guarded by the consumer's lock). */
	ScheduledFuture<?> rdyRetry;

	volatile long lastMessageNanos;

	final AtomicInteger inFlight = new AtomicInteger();

	/** No more RDY: draining before a close (stop, or the nsqd left nsqlookupd). */
	volatile boolean closing;

	/** nsqd answered CLS with CLOSE_WAIT. */
	volatile boolean closeWait;

	/** The socket is closed. */
	volatile boolean closed;

	/** Consecutive lookupd answers without this nsqd (lookupd thread only). */
	int absentFromLookupd;

	final boolean discovered;

	final long createdNanos = System.nanoTime();

	ConsumerConnection(DefaultNsqConsumer consumer, NsqAddress address, boolean discovered) {
		this.consumer = consumer;
		this.address = address;
		this.addressText = address.toString();
		this.discovered = discovered;
		long now = System.nanoTime();
		this.lastMessageNanos = now - LONG_AGO;
		this.lastRdyNanos = now - LONG_AGO;
	}

	@Override
	public void onMessage(NsqConnection connection, Frame.Message message) {
		this.consumer.onMessage(this, message);
	}

	@Override
	public void onResponse(NsqConnection connection, Frame.Response response) {
		if (response.isCloseWait()) {
			this.closeWait = true;
			this.consumer.checkDrained(this);
		}
		// OK answers SUB (not awaited, as go-nsq); nothing else is expected
	}

	@Override
	public void onError(NsqConnection connection, Frame.Error error) {
		this.consumer.onError(this, error);
	}

	@Override
	public void onClose(NsqConnection connection, Throwable cause) {
		this.closed = true;
		this.consumer.onConnectionClosed(this, cause);
	}

	@Override
	public String toString() {
		return this.addressText;
	}

}
