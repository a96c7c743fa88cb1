package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An unsynchronized write buffer: the connection's write lock already serialises writers,
 * so the per-call locking of {@link java.io.BufferedOutputStream} is not needed. Writes
 * larger than the buffer go straight through.
 */
final class OutputBuffer extends OutputStream {

	private final OutputStream out;

	private final byte[] buffer;

	private int count;

	OutputBuffer(OutputStream out, int size) {
		this.out = out;
		this.buffer = new byte[size];
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
			this.out.write(bytes, offset, length);
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
		drain();
		this.out.flush();
	}

	@Override
	public void close() throws IOException {
		this.out.close();
	}

	private void drain() throws IOException {
		if (this.count > 0) {
			this.out.write(this.buffer, 0, this.count);
			this.count = 0;
		}
	}

}
