package io.github.nsqspring.test.nsqd;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * Snappy framing-format streams. Kept apart so that snappy-java stays an optional
 * dependency: this class is only loaded once snappy has been negotiated.
 */
final class SnappyStreams {

	private SnappyStreams() {
	}

	/**
	 * SnappyFramedOutputStream writes through a channel and its flush() does not flush
	 * the stream underneath, so a buffered socket stream must be flushed explicitly.
	 */
	static OutputStream output(OutputStream socketStream) throws IOException {
		SnappyFramedOutputStream snappy = new SnappyFramedOutputStream(socketStream);
		return new FilterOutputStream(snappy) {

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				snappy.write(b, off, len);
			}

			@Override
			public void flush() throws IOException {
				snappy.flush();
				socketStream.flush();
			}

		};
	}

	/**
	 * The input side reads the stream identifier when constructed, which the client only
	 * sends after it has read our {@code OK}; so construct it on first read, on the
	 * reader thread.
	 */
	static InputStream input(InputStream in) {
		return new InputStream() {

			private InputStream delegate;

			private InputStream delegate() throws IOException {
				if (this.delegate == null) {
					this.delegate = new SnappyFramedInputStream(in);
				}
				return this.delegate;
			}

			@Override
			public int read() throws IOException {
				return delegate().read();
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				return delegate().read(b, off, len);
			}

			@Override
			public void close() throws IOException {
				in.close();
			}

		};
	}

}
