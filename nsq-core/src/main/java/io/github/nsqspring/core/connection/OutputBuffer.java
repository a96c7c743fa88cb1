package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An unsynchronized write buffer: the connection's write lock already serialises writers,
 * so the per-call locking of {@link java.io.BufferedOutputStream} is not needed. Writes
 * larger than the buffer go straight through.
 * <p>
 * Only its writes to the stream below can block, so only they are timed for
 * {@code write_timeout} ({@link #overran}): a command that merely lands in the buffer
 * reads no clock.
 */
final class OutputBuffer extends OutputStream {

	private final OutputStream out;

	private final byte[] buffer;

	private int count;

	private final BlockingCall writing = new BlockingCall();

	OutputBuffer(OutputStream out, int size) {
		this.out = out;
		this.buffer = new byte[size];
	}

	/**
	 * Whether a write to the stream below has been blocked longer than the timeout.
	 * @param now {@link System#nanoTime()}
	 * @param timeoutNanos the timeout
	 * @return {@code true} when it has
	 */
	boolean overran(long now, long timeoutNanos) {
		return this.writing.overran(now, timeoutNanos);
	}

	@Override
	public void write(int b) throws IOException {
		if (this.count == this.buffer.length) {
			drain();
		}
		this.buffer[this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (length >= this.buffer.length) {
			drain();
			this.writing.begin();
			try {
				this.out.write(bytes, offset, length);
			}
			finally {
				this.writing.end();
			}
			return;
		}
		if (length > this.buffer.length - this.count) {
			drain();
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	@Override
	public void flush() throws IOException {
		this.writing.begin();
		try {
			writeBuffered();
			this.out.flush();
		}
		finally {
			this.writing.end();
		}
	}

	@Override
	public void close() throws IOException {
		this.out.close();
	}

	private void drain() throws IOException {
		if (this.count > 0) {
			this.writing.begin();
			try {
				writeBuffered();
			}
			finally {
				this.writing.end();
			}
		}
	}

	private void writeBuffered() throws IOException {
		if (this.count > 0) {
			this.out.write(this.buffer, 0, this.count);
			this.count = 0;
		}
	}

}
