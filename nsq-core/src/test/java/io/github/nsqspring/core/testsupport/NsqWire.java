package io.github.nsqspring.core.testsupport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The server's side of the NSQ TCP protocol for fake nsqds in tests: reading what a
 * client sends (the magic, command lines and their bodies) and building the frames an
 * nsqd answers with. Written apart from the main code's protocol classes on purpose, so
 * that a bug there cannot hide itself in the tests.
 */
public final class NsqWire {

	public static final int FRAME_RESPONSE = 0;

	public static final int FRAME_ERROR = 1;

	private static final int FRAME_MESSAGE = 2;

	/** Commands followed by a 4-byte size and that many bytes. */
	private static final Set<String> WITH_BODY = Set.of("IDENTIFY", "AUTH", "PUB", "DPUB", "MPUB");

	private NsqWire() {
	}

	/** The 4-byte protocol magic a client sends first, e.g. {@code "  V2"}. */
	public static String readMagic(DataInputStream in) throws IOException {
		byte[] magic = new byte[4];
		in.readFully(magic);
		return new String(magic, StandardCharsets.US_ASCII);
	}

	/**
	 * The next command with its body if it has one, or {@code null} once the client has
	 * closed the connection between two commands.
	 */
	public static Command readCommand(DataInputStream in) throws IOException {
		String line = readLine(in);
		if (line == null) {
			return null;
		}
		Command command = new Command(line, null);
		if (!WITH_BODY.contains(command.name())) {
			return command;
		}
		byte[] body = new byte[in.readInt()];
		in.readFully(body);
		return new Command(line, body);
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				if (line.isEmpty()) {
					return null;
				}
				throw new EOFException("connection closed in the middle of command " + line);
			}
			line.append((char) b);
		}
		return line.toString();
	}

	/** A frame: its 4-byte size, its 4-byte type and its data. */
	public static byte[] frame(int type, byte[] data) {
		return ByteBuffer.allocate(8 + data.length).putInt(4 + data.length).putInt(type).put(data).array();
	}

	/** A message frame, its timestamp in nanoseconds and its id 16 ASCII characters. */
	public static byte[] messageFrame(long timestamp, int attempts, String id, byte[] body) {
		byte[] data = ByteBuffer.allocate(8 + 2 + 16 + body.length)
			.putLong(timestamp)
			.putShort((short) attempts)
			.put(id.getBytes(StandardCharsets.US_ASCII))
			.put(body)
			.array();
		return frame(FRAME_MESSAGE, data);
	}

	/** Big-endian 4-byte integers, to build frames that no nsqd would send. */
	public static byte[] ints(int... values) {
		ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
		for (int value : values) {
			bytes.putInt(value);
		}
		return bytes.array();
	}

	/**
	 * Writes a response or error frame in one write and flushes it, so that it leaves as
	 * one segment rather than waiting behind Nagle for the rest of it.
	 */
	public static void writeFrame(OutputStream out, int type, String text) throws IOException {
		out.write(frame(type, text.getBytes(StandardCharsets.UTF_8)));
		out.flush();
	}

	/**
	 * A command line as the client sent it, without its newline, and its body
	 * ({@code null} for commands without one).
	 */
	public record Command(String line, byte[] body) {

		/** The command's name, e.g. {@code PUB} for {@code PUB topic}. */
		public String name() {
			return argument(0);
		}

		/** The n-th space-separated word of the line, 0 being the name. */
		public String argument(int index) {
			return this.line.split(" ")[index];
		}

		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
