package io.github.nsqspring.core.connection;

import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.MessageId;

/**
 * Receives what an {@link NsqConnection}'s reader thread reads. Heartbeats are answered
 * by the connection and never reach the handler. Methods are called on the reader thread,
 * one at a time, in wire order; they must not block for long (a blocked handler stops
 * reading).
 */
public interface ConnectionHandler {

	/**
	 * A response frame other than a heartbeat ({@code OK}, {@code CLOSE_WAIT}, JSON).
	 * @param connection the connection
	 * @param response the frame
	 */
	void onResponse(NsqConnection connection, Frame.Response response);

	/**
	 * An error frame. After a fatal one nsqd closes the connection, which is reported
	 * through {@link #onClose}.
	 * @param connection the connection
	 * @param error the frame
	 */
	void onError(NsqConnection connection, Frame.Error error);

	/**
	 * A message frame.
	 * @param connection the connection
	 * @param message the frame
	 */
	default void onMessage(NsqConnection connection, Frame.Message message) {
		throw new IllegalStateException("unexpected message frame on a connection without a subscription");
	}

	/**
	 * A message frame, as its parts: the connection's reader calls this one, so that a
	 * consumer can build its own object per message without a {@link Frame.Message}
	 * first. The default builds the frame and calls
	 * {@link #onMessage(NsqConnection, Frame.Message)}.
	 * @param connection the connection
	 * @param timestamp nanoseconds since the epoch when nsqd received the message
	 * @param attempts delivery attempt, 1 on first delivery
	 * @param idHigh bytes 0–7 of the 16-byte id (see {@link MessageId})
	 * @param idLow bytes 8–15 of the id
	 * @param body the message body
	 */
	default void onMessage(NsqConnection connection, long timestamp, int attempts, long idHigh, long idLow,
			byte[] body) {
		onMessage(connection, new Frame.Message(timestamp, attempts, MessageId.toBytes(idHigh, idLow), body));
	}

	/**
	 * The frames read so far have all been handed to this handler: the reader is about to
	 * wait for more from the socket. A handler that queues messages for other threads can
	 * wake them here once per batch of frames instead of once per message. The default
	 * does nothing.
	 * @param connection the connection
	 * @param messages how many of the batch's frames were messages
	 */
	default void onReadBatchEnd(NsqConnection connection, int messages) {
	}

	/**
	 * The connection closed; called exactly once, after which the reader thread ends.
	 * @param connection the connection
	 * @param cause why, or {@code null} when closed by {@link NsqConnection#close()}
	 */
	void onClose(NsqConnection connection, Throwable cause);

}
