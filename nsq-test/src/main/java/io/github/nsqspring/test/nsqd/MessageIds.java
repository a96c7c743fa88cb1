package io.github.nsqspring.test.nsqd;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids shaped like nsqd's: a 64-bit number made of a millisecond-ish timestamp
 * (unix nanoseconds shifted right by 20, minus a fixed epoch), a 10-bit node id and a
 * 12-bit sequence, sent as 16 lowercase hex characters. Unlike nsqd, which fails and
 * retries when a millisecond's sequence overflows, this borrows from the next
 * millisecond, so ids stay unique and increasing without waiting.
 */
final class MessageIds {

	private static final long EPOCH = 1288834974288L;

	private static final byte[] HEX = "0123456789abcdef".getBytes();

	private final long nodeBits;

	private final AtomicLong last = new AtomicLong();

	MessageIds(int nodeId) {
		this.nodeBits = ((long) (nodeId & 0x3ff)) << 12;
	}

	long next() {
		while (true) {
			long prev = this.last.get();
			long ts = (System.currentTimeMillis() * 1_000_000L >> 20) - EPOCH;
			long prevTs = prev >>> 22;
			long seq = 0;
			if (ts <= prevTs) {
				ts = prevTs;
				seq = (prev & 0xfff) + 1;
				if (seq > 0xfff) {
					ts = prevTs + 1;
					seq = 0;
				}
			}
			long id = (ts << 22) | this.nodeBits | seq;
			if (this.last.compareAndSet(prev, id)) {
				return id;
			}
		}
	}

	static byte[] hex(long id) {
		byte[] out = new byte[16];
		for (int i = 15; i >= 0; i--) {
			out[i] = HEX[(int) (id & 0xf)];
			id >>>= 4;
		}
		return out;
	}

	/**
	 * Parse 16 hex characters; returns -1 for anything else (no valid id is -1, as the
	 * top bit of the timestamp part is never set).
	 */
	static long parse(byte[] hex) {
		if (hex.length != 16) {
			return -1;
		}
		long id = 0;
		for (byte b : hex) {
			int d;
			if (b >= '0' && b <= '9') {
				d = b - '0';
			}
			else if (b >= 'a' && b <= 'f') {
				d = b - 'a' + 10;
			}
			else {
				return -1;
			}
			id = (id << 4) | d;
		}
		return id;
	}

}
