package io.github.nsqspring.core.protocol;

/**
 * Takes message frames from {@link FrameReader#read(MessageReceiver)} as their parts, so
 * that a consumer builds its own object per message instead of a {@link Frame.Message}
 * and then its own.
 */
@FunctionalInterface
public interface MessageReceiver {

	/**
	 * A message frame.
	 * @param timestamp nanoseconds since the epoch when nsqd received the message
	 * @param attempts delivery attempt, 1 on first delivery
	 * @param idHigh bytes 0–7 of the 16-byte id (see {@link MessageId})
	 * @param idLow bytes 8–15 of the id
	 * @param body the message body
	 */
	void onMessage(long timestamp, int attempts, long idHigh, long idLow, byte[] body);

}
