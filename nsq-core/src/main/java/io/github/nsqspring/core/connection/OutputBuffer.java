package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An unsynchronized write buffer: the connection's write lock already serialises writers,
 * so the per-call locking of {@link java.io.BufferedOutputStream} is not needed. Writes
 * larger than the buffer go straight through.
 * <p>
 * Only its writes to the stream below can block, so only they are timed for
 * {@code write_timeout} ({@link #writingSinceNanos()}): a command that merely lands in
 * the buffer reads no clock.
 */
final class OutputBuffer extends OutputStream {

	private final OutputStream out;

	private final byte[] buffer;

	private int count;

	/** When the current write to the stream below started ({@code | 1}), 0 outside. */
	private volatile long writingSinceNanos;

	OutputBuffer(OutputStream out, int size) {
		this.out = out;
		this.buffer = new byte[size];
	}

	/**
	 * When the write to the stream below that is under way started.
	 * @return a {@link System#nanoTime()} value, or 0 when none is under way
	 */
	long writingSinceNanos() {
		return this.writingSinceNanos;
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
			this.writingSinceNanos = System.nanoTime() | 1;
			try {
				this.out.write(bytes, offset, length);
			}
			finally {
				this.writingSinceNanos = 0;
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
		this.writingSinceNanos = System.nanoTime() | 1;
		try {
			writeBuffered();
			this.out.flush();
		}
		finally {
			this.writingSinceNanos = 0;
		}
	}

	@Override
	public void close() throws IOException {
		this.out.close();
	}

	private void drain() throws IOException {
		if (this.count > 0) {
			this.writingSinceNanos = System.nanoTime() | 1;
			try {
				writeBuffered();
			}
			finally {
				this.writingSinceNanos = 0;
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
