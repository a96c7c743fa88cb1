package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import io.github.nsqspring.core.NsqConfigException;

/**
 * The stream codecs nsqd negotiates: raw DEFLATE with a sync flush after every write
 * batch, and the snappy framing format through snappy-java (an optional dependency,
 * loaded only when snappy is used).
 */
final class Compression {

	private static final int BUFFER_SIZE = 64 * 1024;

	/**
	 * The snappy-java dependency as the project manages it (a test keeps the version in
	 * step with the build's).
	 */
	static final String SNAPPY_JAVA = "org.xerial.snappy:snappy-java:1.1.10.7";

	private Compression() {
	}

	/**
	 * Whether snappy-java is on the classpath.
	 * @return {@code true} when snappy can be used
	 */
	static boolean isSnappyAvailable() {
		try {
			Class.forName("org.xerial.snappy.SnappyFramedOutputStream", false, Compression.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	static void requireSnappy() {
		if (!isSnappyAvailable()) {
			throw new NsqConfigException(
					"snappy is enabled but snappy-java is not on the classpath: add the " + "dependency " + SNAPPY_JAVA
							+ " (Maven groupId org.xerial.snappy, artifactId snappy-java) or " + "disable snappy");
		}
	}

	static InputStream deflateInput(InputStream in) {
		return new InflaterInputStream(in, new Inflater(true), BUFFER_SIZE);
	}

	static OutputStream deflateOutput(OutputStream out, int level) {
		return new DeflaterOutputStream(out, new Deflater(level, true), BUFFER_SIZE, true);
	}

	static InputStream snappyInput(InputStream in) throws IOException {
		return Snappy.input(in);
	}

	static OutputStream snappyOutput(OutputStream out) throws IOException {
		return Snappy.output(out);
	}

	/**
	 * Kept apart so that snappy-java classes are only loaded when snappy is negotiated.
	 */
	private static final class Snappy {

		static InputStream input(InputStream in) throws IOException {
			return new org.xerial.snappy.SnappyFramedInputStream(in, true);
		}

		static OutputStream output(OutputStream out) throws IOException {
			return new org.xerial.snappy.SnappyFramedOutputStream(out);
		}

	}

}
