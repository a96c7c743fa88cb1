package io.github.nsqspring.core.connection;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A socket's input that tells {@link ConnectionWatchdog} how long its current read has
 * been waiting ({@code read_timeout} without a socket timeout: go-nsq's read deadline,
 * set before each read). The clock is read twice per socket read, not per frame.
 */
final class WatchedInput extends FilterInputStream {

	private final BlockingCall reading = new BlockingCall();

	WatchedInput(InputStream in) {
		super(in);
	}

	@Override
	public int read() throws IOException {
		this.reading.begin();
		try {
			return this.in.read();
		}
		finally {
			this.reading.end();
		}
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		this.reading.begin();
		try {
			return this.in.read(b, off, len);
		}
		finally {
			this.reading.end();
		}
	}

	/**
	 * Whether a read has been waiting longer than the timeout.
	 * @param now {@link System#nanoTime()}
	 * @param timeoutNanos the timeout
	 * @return {@code true} when it has
	 */
	boolean overran(long now, long timeoutNanos) {
		return this.reading.overran(now, timeoutNanos);
	}

}
