package io.github.nsqspring.core.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.github.nsqspring.core.NsqConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static io.github.nsqspring.core.protocol.TestFrames.ascii;
import static io.github.nsqspring.core.protocol.TestFrames.bytes;
import static io.github.nsqspring.core.protocol.TestFrames.concat;
import static io.github.nsqspring.core.protocol.TestFrames.error;
import static io.github.nsqspring.core.protocol.TestFrames.frame;
import static io.github.nsqspring.core.protocol.TestFrames.header;
import static io.github.nsqspring.core.protocol.TestFrames.message;
import static io.github.nsqspring.core.protocol.TestFrames.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD)
class FrameReaderTests {

	private static final String SOURCE = "nsqd 127.0.0.1:4150";

	private static final String ID = "0a1b2c3d4e5f6789";

	private static FrameReader reader(byte[] data) {
		return new FrameReader(new ByteArrayInputStream(data), SOURCE, 0, 64);
	}

	private static Frame readOne(byte[] data) throws IOException {
		return reader(data).read();
	}

	// reference §1.3 fixed byte examples

	@Test
	void okResponseFromReferenceBytes() throws IOException {
		Frame frame = readOne(bytes(0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x4F, 0x4B));
		assertThat(frame).isInstanceOf(Frame.Response.class);
		Frame.Response response = (Frame.Response) frame;
		assertThat(response.isOk()).isTrue();
		assertThat(response.isHeartbeat()).isFalse();
		assertThat(response.isCloseWait()).isFalse();
		assertThat(response.text()).isEqualTo("OK");
	}

	@Test
	void heartbeatFromReferenceBytes() throws IOException {
		byte[] data = concat(bytes(0x00, 0x00, 0x00, 0x0F, 0x00, 0x00, 0x00, 0x00), ascii("_heartbeat_"));
		Frame.Response response = (Frame.Response) readOne(data);
		assertThat(response.isHeartbeat()).isTrue();
		assertThat(response.isOk()).isFalse();
		assertThat(response.data()).hasSize(11);
	}

	@Test
	void closeWaitFromReferenceBytes() throws IOException {
		byte[] data = concat(bytes(0x00, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x00, 0x00), ascii("CLOSE_WAIT"));
		Frame.Response response = (Frame.Response) readOne(data);
		assertThat(response.isCloseWait()).isTrue();
		assertThat(response.isHeartbeat()).isFalse();
	}

	@Test
	void errorFrameCarriesCodeAndText() throws IOException {
		Frame frame = readOne(error("E_INVALID cannot SUB in current state"));
		assertThat(frame).isInstanceOf(Frame.Error.class);
		Frame.Error error = (Frame.Error) frame;
		assertThat(error.code()).isEqualTo(NsqErrorCode.E_INVALID);
		assertThat(error.text()).isEqualTo("E_INVALID cannot SUB in current state");
	}

	@Test
	void errorFrameWithoutDescription() throws IOException {
		Frame.Error error = (Frame.Error) readOne(error("E_BAD_PROTOCOL"));
		assertThat(error.code()).isEqualTo(NsqErrorCode.E_BAD_PROTOCOL);
		assertThat(error.code().isFatal()).isTrue();
	}

	@Test
	void nonFatalErrorFrame() throws IOException {
		Frame.Error error = (Frame.Error) readOne(error("E_FIN_FAILED FIN 0a1b2c3d4e5f6789 failed ID not in flight"));
		assertThat(error.code()).isEqualTo(NsqErrorCode.E_FIN_FAILED);
		assertThat(error.code().isFatal()).isFalse();
	}

	@Test
	void emptyResponseFrameOfSizeFour() throws IOException {
		Frame.Response response = (Frame.Response) readOne(header(4, Frame.TYPE_RESPONSE));
		assertThat(response.data()).isEmpty();
	}

	// message frames (reference §1.4)

	@Test
	void messageFieldsAreDecodedBigEndian() throws IOException {
		byte[] data = concat(bytes(0, 0, 0, 4 + 26 + 5, 0, 0, 0, 2), // size, type
				bytes(0x17, 0x9A, 0x5B, 0x3C, 0xFF, 0xEE, 0xDD, 0xCC), // timestamp
				bytes(0x01, 0x02), // attempts
				ascii(ID), ascii("hello"));
		Frame.Message message = (Frame.Message) readOne(data);
		assertThat(message.timestamp()).isEqualTo(0x179A5B3CFFEEDDCCL);
		assertThat(message.attempts()).isEqualTo(0x0102);
		assertThat(message.id()).isEqualTo(ascii(ID));
		assertThat(message.idText()).isEqualTo(ID);
		assertThat(message.body()).isEqualTo(ascii("hello"));
	}

	@Test
	void attemptsAreUnsigned() throws IOException {
		Frame.Message message = (Frame.Message) readOne(message(1L, 65535, ID, ascii("x")));
		assertThat(message.attempts()).isEqualTo(65535);
	}

	@Test
	void timestampLowWordIsNotSignExtended() throws IOException {
		Frame.Message message = (Frame.Message) readOne(message(0x00000001FFFFFFFFL, 1, ID, ascii("x")));
		assertThat(message.timestamp()).isEqualTo(0x00000001FFFFFFFFL);
		Frame.Message negative = (Frame.Message) readOne(message(-2L, 1, ID, ascii("x")));
		assertThat(negative.timestamp()).isEqualTo(-2L);
	}

	@Test
	void messageWithEmptyBodyIsExactlyTheHeader() throws IOException {
		byte[] data = message(1_700_000_000_123_456_789L, 1, ID, new byte[0]);
		assertThat(data).hasSize(8 + 26);
		assertThat(FrameReader.toInt(data, 0)).isEqualTo(30);
		Frame.Message message = (Frame.Message) readOne(data);
		assertThat(message.body()).isEmpty();
		assertThat(message.timestamp()).isEqualTo(1_700_000_000_123_456_789L);
		assertThat(message.attempts()).isEqualTo(1);
		assertThat(message.idText()).isEqualTo(ID);
	}

	@Test
	void messageFrameShorterThanHeaderIsRejected() {
		byte[] data = concat(header(4 + 25, Frame.TYPE_MESSAGE), new byte[25]);
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> readOne(data))
			.withMessageContaining("invalid message frame")
			.withMessageContaining("25 bytes")
			.withMessageContaining("26-byte")
			.withMessageContaining(SOURCE);
	}

	@Test
	void bodiesOfEverySizeAroundTheBufferSizeAreRead() throws IOException {
		Random random = new Random(42);
		for (int bufferSize : new int[] { 8, 16, 64, 100, 4096 }) {
			List<byte[]> bodies = new ArrayList<>();
			ByteArrayOutputStream stream = new ByteArrayOutputStream();
			for (int length = 0; length <= 3 * bufferSize + 3; length++) {
				byte[] body = new byte[length];
				random.nextBytes(body);
				bodies.add(body);
				stream.writeBytes(message(length, length % 65536, ID, body));
				stream.writeBytes(response("r" + length));
			}
			FrameReader reader = new FrameReader(new ByteArrayInputStream(stream.toByteArray()), SOURCE, 0, bufferSize);
			for (int length = 0; length < bodies.size(); length++) {
				Frame.Message message = (Frame.Message) reader.read();
				assertThat(message.body()).as("body of %d bytes, buffer %d", length, bufferSize)
					.isEqualTo(bodies.get(length));
				assertThat(message.timestamp()).isEqualTo(length);
				assertThat(((Frame.Response) reader.read()).text()).isEqualTo("r" + length);
			}
			assertEndsBetweenFrames(reader);
		}
	}

	@Test
	void largeBodyMuchBiggerThanTheBuffer() throws IOException {
		byte[] body = new byte[3 * 1024 * 1024 + 7];
		new Random(7).nextBytes(body);
		byte[] data = concat(response("OK"), message(5, 2, ID, body), response("after"));
		for (InputStream in : List.of(new ByteArrayInputStream(data),
				TestFrames.chunked(data, new Random(1), 70_000))) {
			FrameReader reader = new FrameReader(in, SOURCE, 0, 16 * 1024);
			assertThat(((Frame.Response) reader.read()).isOk()).isTrue();
			assertThat(((Frame.Message) reader.read()).body()).isEqualTo(body);
			assertThat(((Frame.Response) reader.read()).text()).isEqualTo("after");
			assertEndsBetweenFrames(reader);
		}
	}

	@Test
	void largeResponseAndErrorFrames() throws IOException {
		String big = "x".repeat(2 * 1024 * 1024 + 3);
		byte[] data = concat(response(big), error("E_INVALID " + big));
		FrameReader reader = new FrameReader(new ByteArrayInputStream(data), SOURCE, 0, 1024);
		assertThat(((Frame.Response) reader.read()).text()).isEqualTo(big);
		assertThat(((Frame.Error) reader.read()).text()).isEqualTo("E_INVALID " + big);
	}

	// frames split at every byte boundary

	private static byte[] mixedStream() {
		return concat(response("OK"), response("_heartbeat_"), message(11, 1, ID, ascii("first")),
				error("E_REQ_FAILED REQ 0a1b2c3d4e5f6789 failed ID not in flight"),
				message(12, 3, "fedcba9876543210", new byte[0]), header(4, Frame.TYPE_RESPONSE),
				message(13, 7, ID, "a longer body that spans several small buffers".repeat(3).getBytes()),
				response("CLOSE_WAIT"));
	}

	private static void assertMixedStream(FrameReader reader) throws IOException {
		assertThat(((Frame.Response) reader.read()).isOk()).isTrue();
		assertThat(((Frame.Response) reader.read()).isHeartbeat()).isTrue();
		Frame.Message first = (Frame.Message) reader.read();
		assertThat(first.timestamp()).isEqualTo(11);
		assertThat(first.body()).isEqualTo(ascii("first"));
		assertThat(((Frame.Error) reader.read()).code()).isEqualTo(NsqErrorCode.E_REQ_FAILED);
		Frame.Message empty = (Frame.Message) reader.read();
		assertThat(empty.idText()).isEqualTo("fedcba9876543210");
		assertThat(empty.attempts()).isEqualTo(3);
		assertThat(empty.body()).isEmpty();
		assertThat(((Frame.Response) reader.read()).data()).isEmpty();
		Frame.Message longer = (Frame.Message) reader.read();
		assertThat(longer.attempts()).isEqualTo(7);
		assertThat(new String(longer.body())).startsWith("a longer body").hasSize(46 * 3);
		assertThat(((Frame.Response) reader.read()).isCloseWait()).isTrue();
		assertEndsBetweenFrames(reader);
	}

	@Test
	void splitAtEveryByteBoundary() throws IOException {
		byte[] data = mixedStream();
		for (int split = 0; split <= data.length; split++) {
			for (int bufferSize : new int[] { 8, 32, 1024 }) {
				assertMixedStream(new FrameReader(new SplitInputStream(data, split), SOURCE, 0, bufferSize));
			}
		}
	}

	@Test
	void oneByteAtATime() throws IOException {
		for (int bufferSize : new int[] { 8, 9, 31, 64, 1024 }) {
			assertMixedStream(new FrameReader(TestFrames.oneByteAtATime(mixedStream()), SOURCE, 0, bufferSize));
		}
	}

	@Test
	void randomChunkSizes() throws IOException {
		byte[] data = mixedStream();
		for (long seed = 0; seed < 200; seed++) {
			Random random = new Random(seed);
			int bufferSize = 8 + random.nextInt(200);
			assertMixedStream(
					new FrameReader(TestFrames.chunked(data, random, 1 + random.nextInt(40)), SOURCE, 0, bufferSize));
		}
	}

	// invalid sizes and types

	@Test
	void negativeSizeIsRejected() {
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> readOne(header(-1, 0)))
			.withMessageContaining("invalid frame size -1")
			.withMessageContaining(SOURCE)
			.withMessageContaining("offset 0");
	}

	@Test
	void sizeBelowFourIsRejected() {
		for (int size = 0; size < 4; size++) {
			int bad = size;
			assertThatExceptionOfType(NsqConnectionException.class)
				.isThrownBy(() -> readOne(concat(header(bad, 0), new byte[8])))
				.withMessageContaining("invalid frame size " + bad)
				.withMessageContaining("minimum 4");
		}
	}

	@Test
	void sizeIsCheckedAgainstMaxMsgSize() throws IOException {
		// max_msg_size bounds the message body; the frame adds 4 (type) + 26 (header)
		byte[] fits = message(1, 1, ID, new byte[100]);
		Frame.Message message = (Frame.Message) new FrameReader(new ByteArrayInputStream(fits), SOURCE, 100, 64).read();
		assertThat(message.body()).hasSize(100);

		byte[] tooBig = message(1, 1, ID, new byte[101]);
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> new FrameReader(new ByteArrayInputStream(tooBig), SOURCE, 100, 64).read())
			.withMessageContaining("frame size 131")
			.withMessageContaining("limit of 130")
			.withMessageContaining("max_msg_size")
			.withMessageContaining(SOURCE);
	}

	@Test
	void defaultLimitApplies() {
		byte[] data = header(FrameReader.DEFAULT_MAX_FRAME_SIZE + 1, 0);
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> readOne(data))
			.withMessageContaining("frame size " + (FrameReader.DEFAULT_MAX_FRAME_SIZE + 1))
			.withMessageContaining("exceeds the limit");
	}

	@Test
	void hugeMaxMsgSizeDoesNotOverflowTheLimit() throws IOException {
		for (int max : new int[] { Integer.MAX_VALUE, Integer.MAX_VALUE - 29, Integer.MAX_VALUE / 2 }) {
			FrameReader reader = new FrameReader(new ByteArrayInputStream(response("OK")), SOURCE, max, 64);
			assertThat(((Frame.Response) reader.read()).isOk()).as("max_msg_size %d", max).isTrue();
		}
	}

	@Test
	void httpAnswerNamesTheHttpPort() {
		byte[] data = ascii("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\n");
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> readOne(data))
			.withMessageContaining("HTTP port")
			.withMessageContaining(SOURCE);
		// even when the HTTP size would be below a configured max_msg_size
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> new FrameReader(new ByteArrayInputStream(data), SOURCE, Integer.MAX_VALUE, 64).read())
			.withMessageContaining("HTTP port");
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> FrameReader.readExactly(new ByteArrayInputStream(data), SOURCE))
			.withMessageContaining("HTTP port");
	}

	@Test
	void unknownFrameTypeIsRejected() {
		for (int type : new int[] { 3, -1, 255, Integer.MAX_VALUE }) {
			byte[] data = concat(response("OK"), header(6, type), ascii("OK"));
			FrameReader reader = reader(data);
			assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> {
				reader.read();
				reader.read();
			})
				.withMessageContaining("unknown frame type " + type)
				.withMessageContaining("at offset 10")
				.withMessageContaining(SOURCE);
		}
	}

	// end of stream

	@Test
	void endBetweenFramesSaysSo() throws IOException {
		FrameReader reader = reader(response("OK"));
		reader.read();
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(reader::read)
			.withMessageContaining("between frames")
			.withMessageContaining("stream offset 10")
			.withMessageContaining(SOURCE);
	}

	@Test
	void emptyStreamEndsBetweenFrames() {
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> readOne(new byte[0]))
			.withMessageContaining("between frames")
			.withMessageContaining("stream offset 0");
	}

	@Test
	void endInsideAFrameNamesTheFrameOffset() {
		byte[] full = concat(response("OK"), message(1, 1, ID, ascii("body")));
		// every truncation inside the second frame (offset 10)
		for (int cut = 11; cut < full.length; cut++) {
			byte[] data = Arrays.copyOf(full, cut);
			FrameReader reader = reader(data);
			int expectedOffset = cut;
			assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> {
				reader.read();
				reader.read();
			})
				.as("cut at %d", cut)
				.withMessageContaining("in the middle of the frame at offset 10")
				.withMessageContaining("stream offset " + expectedOffset)
				.withCauseInstanceOf(java.io.EOFException.class);
		}
	}

	@Test
	void endInsideALargeBody() {
		byte[] full = message(1, 1, ID, new byte[10_000]);
		byte[] data = Arrays.copyOf(full, 5_000);
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> new FrameReader(new ByteArrayInputStream(data), SOURCE, 0, 64).read())
			.withMessageContaining("in the middle of the frame at offset 0")
			.withMessageContaining("stream offset 5000");
	}

	@Test
	void hugeClaimedSizeDoesNotAllocateBeforeTheBytesArrive() {
		// a corrupt size just under the default 256 MiB limit, followed by a few bytes
		byte[] data = concat(header(FrameReader.DEFAULT_MAX_FRAME_SIZE, Frame.TYPE_RESPONSE), new byte[100]);
		long allocated = allocatedBytes(() -> assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> new FrameReader(new ByteArrayInputStream(data), SOURCE, 0, 64).read())
			.withMessageContaining("in the middle of the frame"));
		assertThat(allocated).isLessThan(16L * 1024 * 1024);

		byte[] messageData = concat(header(FrameReader.DEFAULT_MAX_FRAME_SIZE, Frame.TYPE_MESSAGE), new byte[100]);
		allocated = allocatedBytes(() -> assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> new FrameReader(new ByteArrayInputStream(messageData), SOURCE, 0, 64).read()));
		assertThat(allocated).isLessThan(16L * 1024 * 1024);

		allocated = allocatedBytes(() -> assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> FrameReader.readExactly(new ByteArrayInputStream(data), SOURCE)));
		assertThat(allocated).isLessThan(16L * 1024 * 1024);
	}

	// read(MessageReceiver): a consumer's reader path

	@Test
	void messageGoesToTheReceiverAsItsPartsAndOtherFramesAreReturned() throws IOException {
		byte[] data = concat(message(1234567890123L, 3, ID, ascii("hello")), response("OK"), error("E_INVALID x"));
		FrameReader reader = reader(data);
		List<Object[]> received = new ArrayList<>();
		Frame first = reader.read((timestamp, attempts, idHigh, idLow, body) -> received
			.add(new Object[] { timestamp, attempts, MessageId.toText(idHigh, idLow), new String(body) }));
		assertThat(first).isNull();
		assertThat(received).hasSize(1);
		assertThat(received.get(0)).containsExactly(1234567890123L, 3, ID, "hello");
		assertThat(((Frame.Response) reader.read((t, a, h, l, b) -> received.add(null))).isOk()).isTrue();
		assertThat(reader.read((t, a, h, l, b) -> received.add(null))).isInstanceOf(Frame.Error.class);
		assertThat(received).hasSize(1);
	}

	@Test
	void messageIdPartsAreTheIdBytesOfTheFrame() throws IOException {
		Frame.Message message = (Frame.Message) readOne(message(1, 1, ID, ascii("x")));
		assertThat(message.idText()).isEqualTo(ID);
		long[] parts = new long[2];
		reader(message(1, 1, ID, ascii("x"))).read((t, a, high, low, b) -> {
			parts[0] = high;
			parts[1] = low;
		});
		assertThat(parts).containsExactly(MessageId.high(message.id()), MessageId.low(message.id()));
		assertThat(MessageId.toBytes(parts[0], parts[1])).isEqualTo(message.id());
	}

	@Test
	void hasBufferedFrameTellsWhetherTheNextReadWaitsForTheStream() throws IOException {
		byte[] first = message(1, 1, ID, ascii("one"));
		byte[] second = message(1, 1, ID, ascii("two"));
		// the stream hands over both frames and half of a third at once
		byte[] third = response("OK");
		FrameReader reader = new FrameReader(
				new ByteArrayInputStream(concat(first, second, Arrays.copyOf(third, third.length - 1))), SOURCE, 0,
				1024);
		assertThat(reader.hasBufferedFrame()).isFalse();
		reader.read((t, a, h, l, b) -> {
		});
		assertThat(reader.hasBufferedFrame()).isTrue();
		reader.read((t, a, h, l, b) -> {
		});
		assertThat(reader.hasBufferedFrame()).as("only part of the next frame is buffered").isFalse();
	}

	@Test
	void aMessageHandedToTheReceiverAllocatesOnlyItsBody() throws IOException {
		// issue 15: the consumer's reader allocates the body and nothing else per message
		int count = 20_000;
		byte[] body = new byte[200];
		byte[] one = message(1, 1, ID, body);
		ByteArrayOutputStream stream = new ByteArrayOutputStream();
		for (int i = 0; i < 2 * count; i++) {
			stream.write(one, 0, one.length);
		}
		FrameReader reader = new FrameReader(new ByteArrayInputStream(stream.toByteArray()), SOURCE, 0, 64 * 1024);
		long[] sum = new long[1];
		MessageReceiver receiver = (timestamp, attempts, idHigh, idLow, b) -> sum[0] += idLow + b.length;
		for (int i = 0; i < count; i++) {
			reader.read(receiver);
		}
		long allocated = allocatedBytes(() -> {
			try {
				for (int i = 0; i < count; i++) {
					reader.read(receiver);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		// a 200-byte array takes 216 bytes on the heap
		assertThat(allocated / count).as("bytes allocated per message").isLessThanOrEqualTo(body.length + 24);
		assertThat(sum[0]).isNotZero();
	}

	static long allocatedBytes(Runnable action) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long id = Thread.currentThread().getId();
		long before = threads.getThreadAllocatedBytes(id);
		action.run();
		return threads.getThreadAllocatedBytes(id) - before;
	}

	@Test
	void bufferSmallerThanAFrameHeaderStillWorks() throws IOException {
		for (int bufferSize = 0; bufferSize < 8; bufferSize++) {
			FrameReader reader = new FrameReader(new ByteArrayInputStream(mixedStream()), SOURCE, 0, bufferSize);
			assertMixedStream(reader);
		}
	}

	// readExactly

	@Test
	void readExactlyDoesNotReadPastTheFrame() throws IOException {
		byte[] trailing = bytes(0xFF, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y');
		InputStream in = new ByteArrayInputStream(concat(response("{\"max_rdy_count\":2500}"), trailing));
		Frame.Response response = (Frame.Response) FrameReader.readExactly(in, SOURCE);
		assertThat(response.text()).isEqualTo("{\"max_rdy_count\":2500}");
		assertThat(in.readAllBytes()).isEqualTo(trailing);

		InputStream oneByOne = TestFrames
			.oneByteAtATime(concat(response("OK"), message(1, 1, ID, ascii("m")), trailing));
		assertThat(((Frame.Response) FrameReader.readExactly(oneByOne, SOURCE)).isOk()).isTrue();
		Frame.Message message = (Frame.Message) FrameReader.readExactly(oneByOne, SOURCE);
		assertThat(message.body()).isEqualTo(ascii("m"));
		assertThat(message.idText()).isEqualTo(ID);
		assertThat(oneByOne.readAllBytes()).isEqualTo(trailing);
	}

	@Test
	void readExactlyDecodesErrors() throws IOException {
		Frame.Error error = (Frame.Error) FrameReader.readExactly(
				new ByteArrayInputStream(error("E_BAD_BODY IDENTIFY heartbeat interval (500) is invalid")), SOURCE);
		assertThat(error.code()).isEqualTo(NsqErrorCode.E_BAD_BODY);
	}

	@Test
	void readExactlyRejectsInvalidFrames() {
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> FrameReader.readExactly(new ByteArrayInputStream(header(-5, 0)), SOURCE))
			.withMessageContaining("invalid frame size -5");
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(
					() -> FrameReader.readExactly(new ByteArrayInputStream(concat(header(6, 9), ascii("OK"))), SOURCE))
			.withMessageContaining("unknown frame type 9");
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> FrameReader.readExactly(new ByteArrayInputStream(concat(header(4 + 10, 2), new byte[10])),
					SOURCE))
			.withMessageContaining("26-byte");
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(
					() -> FrameReader.readExactly(new ByteArrayInputStream(Arrays.copyOf(response("OK"), 9)), SOURCE))
			.withMessageContaining("in the middle of a frame")
			.withMessageContaining("9 bytes read")
			.withMessageContaining(SOURCE);
	}

	private static void assertEndsBetweenFrames(FrameReader reader) {
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(reader::read)
			.withMessageContaining("between frames");
	}

	/** Returns the first {@code split} bytes on the first read, then the rest. */
	private static final class SplitInputStream extends InputStream {

		private final byte[] data;

		private final int split;

		private int position;

		SplitInputStream(byte[] data, int split) {
			this.data = data;
			this.split = split;
		}

		@Override
		public int read() {
			return (this.position < this.data.length) ? this.data[this.position++] & 0xFF : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (len == 0) {
				return 0;
			}
			if (this.position >= this.data.length) {
				return -1;
			}
			int end = (this.position < this.split) ? this.split : this.data.length;
			int n = Math.min(len, end - this.position);
			if (n == 0) {
				n = Math.min(len, this.data.length - this.position);
			}
			System.arraycopy(this.data, this.position, b, off, n);
			this.position += n;
			return n;
		}

	}

}
