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

	/** When the read in progress started, with the low bit set; 0 when none is. */
	private volatile long readingSinceNanos;

	WatchedInput(InputStream in) {
		super(in);
	}

	@Override
	public int read() throws IOException {
		this.readingSinceNanos = System.nanoTime() | 1;
		try {
			return this.in.read();
		}
		finally {
			this.readingSinceNanos = 0;
		}
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		this.readingSinceNanos = System.nanoTime() | 1;
		try {
			return this.in.read(b, off, len);
		}
		finally {
			this.readingSinceNanos = 0;
		}
	}

	/**
	 * Whether a read has been waiting longer than the timeout.
	 * @param now {@link System#nanoTime()}
	 * @param timeoutNanos the timeout
	 * @return {@code true} when it has
	 */
	boolean overran(long now, long timeoutNanos) {
		long since = this.readingSinceNanos;
		return since != 0 && now - since > timeoutNanos;
	}

}
