package io.github.nsqspring.core.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.github.nsqspring.core.NsqInvalidMessageException;

/**
 * One client → nsqd command of protocol V2: an ASCII line ({@code NAME param ...\n}),
 * followed for IDENTIFY, AUTH, PUB, MPUB and DPUB by a 4-byte big-endian length and a
 * body. Instances are immutable; factories validate topic and channel names, message ids
 * and numeric ranges so that a bad value fails here, before it can reach (and kill) a
 * shared connection.
 */
public final class NsqCommand implements WireCommand {

	/** The protocol magic a client sends first: two spaces, {@code V2}. */
	public static final byte[] MAGIC_V2 = { ' ', ' ', 'V', '2' };

	private static final NsqCommand NOP = new NsqCommand("NOP", ascii("NOP\n"), null, null);

	private static final NsqCommand CLS = new NsqCommand("CLS", ascii("CLS\n"), null, null);

	private final String name;

	private final byte[] line;

	private final byte[] body;

	private final List<byte[]> bodies;

	private NsqCommand(String name, byte[] line, byte[] body, List<byte[]> bodies) {
		this.name = name;
		this.line = line;
		this.body = body;
		this.bodies = bodies;
	}

	/**
	 * {@code IDENTIFY} with a JSON body.
	 * @param json the UTF-8 JSON document
	 * @return the command
	 */
	public static NsqCommand identify(byte[] json) {
		return new NsqCommand("IDENTIFY", ascii("IDENTIFY\n"), Objects.requireNonNull(json, "json"), null);
	}

	/**
	 * {@code AUTH} with the secret as body. {@link #toString()} does not show the secret.
	 * @param secret the secret
	 * @return the command
	 */
	public static NsqCommand auth(byte[] secret) {
		return new NsqCommand("AUTH", ascii("AUTH\n"), Objects.requireNonNull(secret, "secret"), null);
	}

	/**
	 * {@code SUB <topic> <channel>}.
	 * @param topic a valid topic name
	 * @param channel a valid channel name
	 * @return the command
	 * @throws io.github.nsqspring.core.NsqInvalidNameException for an invalid name
	 */
	public static NsqCommand sub(String topic, String channel) {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(channel);
		return new NsqCommand("SUB", ascii("SUB " + topic + " " + channel + "\n"), null, null);
	}

	/**
	 * {@code PUB <topic>} with one message body.
	 * @param topic a valid topic name
	 * @param body the message, not empty
	 * @return the command
	 */
	public static NsqCommand pub(String topic, byte[] body) {
		byte[] line = pubLine(topic);
		requireBody(body, "message body");
		return new NsqCommand("PUB", line, body, null);
	}

	/**
	 * {@code MPUB <topic>} with several message bodies, published atomically.
	 * @param topic a valid topic name
	 * @param bodies the messages, at least one, none empty
	 * @return the command
	 */
	public static NsqCommand mpub(String topic, List<byte[]> bodies) {
		byte[] line = mpubLine(topic);
		Objects.requireNonNull(bodies, "bodies");
		if (bodies.isEmpty()) {
			throw new NsqInvalidMessageException("MPUB needs at least one message, the batch is empty");
		}
		List<byte[]> copy = List.copyOf(bodies);
		for (int i = 0; i < copy.size(); i++) {
			// no text built per message: only for the one that fails
			if (copy.get(i).length == 0) {
				requireBody(copy.get(i), "message " + i + " of the batch");
			}
		}
		NsqCommand command = new NsqCommand("MPUB", line, null, copy);
		if (command.bodySize() > Integer.MAX_VALUE) {
			throw new NsqInvalidMessageException("MPUB batch of " + command.bodySize()
					+ " bytes does not fit the 4-byte body length (at most " + Integer.MAX_VALUE + ")");
		}
		return command;
	}

	/**
	 * {@code DPUB <topic> <delay_ms>}: publish a message that is delivered after a delay.
	 * @param topic a valid topic name
	 * @param delayMillis the delay, 0 or more (nsqd caps it at its max-req-timeout)
	 * @param body the message, not empty
	 * @return the command
	 */
	public static NsqCommand dpub(String topic, long delayMillis, byte[] body) {
		NsqNames.requireValidTopic(topic);
		requireNonNegative(delayMillis, "DPUB delay");
		requireBody(body, "message body");
		return new NsqCommand("DPUB", ascii("DPUB " + topic + " " + delayMillis + "\n"), body, null);
	}

	/**
	 * {@code RDY <count>}: how many messages nsqd may have in flight to this connection.
	 * @param count 0 or more
	 * @return the command
	 */
	public static NsqCommand rdy(long count) {
		requireNonNegative(count, "RDY count");
		return new NsqCommand("RDY", ascii("RDY " + count + "\n"), null, null);
	}

	/**
	 * {@code FIN <id>}: the message was handled.
	 * @param id the 16-byte message id
	 * @return the command
	 */
	public static NsqCommand fin(byte[] id) {
		return new NsqCommand("FIN", idLine("FIN ", id, null), null, null);
	}

	/**
	 * {@code REQ <id> <delay_ms>}: put the message back, to be delivered again after a
	 * delay.
	 * @param id the 16-byte message id
	 * @param delayMillis the delay, 0 or more (nsqd clamps it at its max-req-timeout)
	 * @return the command
	 */
	public static NsqCommand req(byte[] id, long delayMillis) {
		requireNonNegative(delayMillis, "REQ delay");
		return new NsqCommand("REQ", idLine("REQ ", id, Long.toString(delayMillis)), null, null);
	}

	/**
	 * {@code TOUCH <id>}: reset the message's in-flight timeout.
	 * @param id the 16-byte message id
	 * @return the command
	 */
	public static NsqCommand touch(byte[] id) {
		return new NsqCommand("TOUCH", idLine("TOUCH ", id, null), null, null);
	}

	/**
	 * {@code CLS}: ask nsqd to stop sending messages; it answers {@code CLOSE_WAIT}.
	 * @return the command
	 */
	public static NsqCommand cls() {
		return CLS;
	}

	/**
	 * {@code NOP}: no operation; the answer to a heartbeat.
	 * @return the command
	 */
	public static NsqCommand nop() {
		return NOP;
	}

	/**
	 * The command name, e.g. {@code PUB}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Whether nsqd answers this command with a response (or error) frame when it
	 * succeeds: IDENTIFY, AUTH, SUB, PUB, MPUB, DPUB and CLS do; RDY, FIN, REQ, TOUCH and
	 * NOP do not.
	 * @return {@code true} when a response frame follows success
	 */
	public boolean expectsResponse() {
		return switch (this.name) {
			case "RDY", "FIN", "REQ", "TOUCH", "NOP" -> false;
			default -> true;
		};
	}

	/**
	 * The number of messages this command publishes (1 for PUB and DPUB, the batch size
	 * for MPUB, 0 otherwise).
	 * @return the count
	 */
	public int messageCount() {
		if (this.bodies != null) {
			return this.bodies.size();
		}
		return (this.name.equals("PUB") || this.name.equals("DPUB")) ? 1 : 0;
	}

	/**
	 * The size of the body field's payload as nsqd's size limits see it: the message for
	 * PUB/DPUB, {@code 4 + Σ(4 + len)} for MPUB, 0 without body.
	 * @return the body size in bytes
	 */
	public long bodySize() {
		if (this.bodies != null) {
			long size = 4;
			for (byte[] item : this.bodies) {
				size += 4 + item.length;
			}
			return size;
		}
		return (this.body != null) ? this.body.length : 0;
	}

	/**
	 * The largest single message body of this command (0 without body).
	 * @return the size in bytes
	 */
	public int largestMessage() {
		if (this.bodies != null) {
			int max = 0;
			for (byte[] item : this.bodies) {
				max = Math.max(max, item.length);
			}
			return max;
		}
		return (this.body != null) ? this.body.length : 0;
	}

	/**
	 * Write the encoded command.
	 * @param out the destination
	 * @throws IOException when writing fails
	 */
	@Override
	public void writeTo(OutputStream out) throws IOException {
		if (this.bodies != null) {
			writeMpubStart(out, this.line, this.bodies.size(), bodySize() - 4);
			for (byte[] item : this.bodies) {
				writeMessage(out, item);
			}
		}
		else {
			out.write(this.line);
			if (this.body != null) {
				writeMessage(out, this.body);
			}
		}
	}

	/**
	 * The line of a {@code PUB} to a topic ({@code PUB <topic>\n}), for producers that
	 * encode their publishes themselves and keep the line per topic.
	 * @param topic a topic name
	 * @return the line
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when the name is invalid
	 */
	public static byte[] pubLine(String topic) {
		NsqNames.requireValidTopic(topic);
		return ascii("PUB " + topic + "\n");
	}

	/**
	 * The line of an {@code MPUB} to a topic ({@code MPUB <topic>\n}).
	 * @param topic a topic name
	 * @return the line
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when the name is invalid
	 */
	public static byte[] mpubLine(String topic) {
		NsqNames.requireValidTopic(topic);
		return ascii("MPUB " + topic + "\n");
	}

	/**
	 * Write a {@code PUB}: its line and the sized body. The caller has checked the body
	 * (not empty, within nsqd's limits).
	 * @param out the destination
	 * @param pubLine the line, from {@link #pubLine(String)}
	 * @param body the message
	 * @throws IOException when writing fails
	 */
	public static void writePub(OutputStream out, byte[] pubLine, byte[] body) throws IOException {
		out.write(pubLine);
		writeMessage(out, body);
	}

	/**
	 * Write the start of an {@code MPUB}: its line, the body size and the message count.
	 * Each message follows with {@link #writeMessage}.
	 * @param out the destination
	 * @param mpubLine the line, from {@link #mpubLine(String)}
	 * @param count the number of messages
	 * @param messagesBytes the bytes the messages take on the wire: 4 + length each
	 * @throws IOException when writing fails
	 */
	public static void writeMpubStart(OutputStream out, byte[] mpubLine, int count, long messagesBytes)
			throws IOException {
		out.write(mpubLine);
		writeInt(out, (int) (messagesBytes + 4));
		writeInt(out, count);
	}

	/**
	 * Write one sized message: its 4-byte length, then its bytes.
	 * @param out the destination
	 * @param body the message
	 * @throws IOException when writing fails
	 */
	public static void writeMessage(OutputStream out, byte[] body) throws IOException {
		writeInt(out, body.length);
		out.write(body);
	}

	/**
	 * The encoded command as bytes.
	 * @return a new array
	 */
	public byte[] toBytes() {
		ByteArrayOutputStream out = new ByteArrayOutputStream((int) (this.line.length + 8 + bodySize()));
		try {
			writeTo(out);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toByteArray();
	}

	@Override
	public String toString() {
		String line = new String(this.line, 0, this.line.length - 1, StandardCharsets.US_ASCII);
		if (this.name.equals("AUTH")) {
			return "AUTH <secret>";
		}
		if (this.bodies != null) {
			return line + " <" + this.bodies.size() + " messages>";
		}
		return (this.body != null) ? line + " <" + this.body.length + " bytes>" : line;
	}

	private static void writeInt(OutputStream out, int value) throws IOException {
		out.write(value >>> 24);
		out.write(value >>> 16);
		out.write(value >>> 8);
		out.write(value);
	}

	private static byte[] idLine(String prefix, byte[] id, String suffix) {
		Objects.requireNonNull(id, "message id");
		if (id.length != 16) {
			throw new IllegalArgumentException("message id must be 16 bytes, was " + id.length);
		}
		int length = prefix.length() + 16 + ((suffix != null) ? suffix.length() + 1 : 0) + 1;
		byte[] line = new byte[length];
		int pos = 0;
		for (int i = 0; i < prefix.length(); i++) {
			line[pos++] = (byte) prefix.charAt(i);
		}
		System.arraycopy(id, 0, line, pos, 16);
		pos += 16;
		if (suffix != null) {
			line[pos++] = ' ';
			for (int i = 0; i < suffix.length(); i++) {
				line[pos++] = (byte) suffix.charAt(i);
			}
		}
		line[pos] = '\n';
		return line;
	}

	/**
	 * Check the body of a {@code PUB} or {@code DPUB}, as {@link #pub} does.
	 * @param body the message
	 * @return the message
	 * @throws NullPointerException when it is {@code null}
	 * @throws NsqInvalidMessageException when it is empty (nsqd rejects empty messages)
	 */
	public static byte[] requireMessageBody(byte[] body) {
		requireBody(body, "message body");
		return body;
	}

	private static void requireBody(byte[] body, String what) {
		Objects.requireNonNull(body, what);
		if (body.length == 0) {
			throw new NsqInvalidMessageException(what + " is empty: nsqd rejects empty messages (E_BAD_MESSAGE)");
		}
	}

	private static void requireNonNegative(long value, String what) {
		if (value < 0) {
			throw new IllegalArgumentException(what + " must be 0 or more, was " + value);
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
