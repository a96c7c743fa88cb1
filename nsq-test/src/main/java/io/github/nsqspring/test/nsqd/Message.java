package io.github.nsqspring.test.nsqd;

/**
 * One channel's copy of a published message. All copies of a message share id, timestamp
 * and body; attempts and in-flight state are per copy. Mutable fields are guarded by the
 * owning channel's lock.
 */
final class Message {

	final long id;

	final byte[] idHex;

	final long timestamp;

	final byte[] body;

	int attempts;

	ClientConnection owner;

	long deliveredAtNanos;

	long deadlineNanos;

	long deferredUntilNanos;

	Message(long id, byte[] idHex, long timestamp, byte[] body) {
		this.id = id;
		this.idHex = idHex;
		this.timestamp = timestamp;
		this.body = body;
	}

	Message copy() {
		return new Message(this.id, this.idHex, this.timestamp, this.body);
	}

	/** The complete message frame: size, frame type 2, timestamp, attempts, id, body. */
	byte[] encodeFrame() {
		int size = 4 + 8 + 2 + 16 + this.body.length;
		byte[] frame = new byte[4 + size];
		putInt(frame, 0, size);
		putInt(frame, 4, 2);
		long ts = this.timestamp;
		for (int i = 7; i >= 0; i--) {
			frame[8 + i] = (byte) ts;
			ts >>>= 8;
		}
		frame[16] = (byte) (this.attempts >>> 8);
		frame[17] = (byte) this.attempts;
		System.arraycopy(this.idHex, 0, frame, 18, 16);
		System.arraycopy(this.body, 0, frame, 34, this.body.length);
		return frame;
	}

	static void putInt(byte[] b, int off, int v) {
		b[off] = (byte) (v >>> 24);
		b[off + 1] = (byte) (v >>> 16);
		b[off + 2] = (byte) (v >>> 8);
		b[off + 3] = (byte) v;
	}

}
