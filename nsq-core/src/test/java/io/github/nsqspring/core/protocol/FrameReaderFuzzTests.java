package io.github.nsqspring.core.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.github.nsqspring.core.NsqConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Property: whatever bytes arrive, {@link FrameReader} returns frames or throws
 * {@link NsqConnectionException}; it never hangs on a finite stream and never throws
 * anything else. Every case is seeded; a failure names its seed.
 */
class FrameReaderFuzzTests {

	private static final String SOURCE = "nsqd fuzz:4150";

	private static final int SMALL_MAX_MSG_SIZE = 4096;

	@Test
	void randomBytes() {
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (long seed = 0; seed < 3000; seed++) {
				Random random = new Random(seed);
				byte[] data = new byte[random.nextInt(300)];
				random.nextBytes(data);
				check(seed, data, SMALL_MAX_MSG_SIZE, random);
			}
		});
	}

	@Test
	void randomHeadersWithPlausibleSizesAndTypes() {
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (long seed = 0; seed < 3000; seed++) {
				Random random = new Random(seed);
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				int frames = random.nextInt(6);
				for (int i = 0; i < frames; i++) {
					int size = random.nextInt(80) - 8;
					int type = random.nextInt(5) - 1;
					out.writeBytes(ByteBuffer.allocate(8).putInt(size).putInt(type).array());
					byte[] rest = new byte[random.nextInt(90)];
					random.nextBytes(rest);
					out.writeBytes(rest);
				}
				check(seed, out.toByteArray(), SMALL_MAX_MSG_SIZE, random);
			}
		});
	}

	@Test
	void mutatedValidStreams() {
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (long seed = 0; seed < 4000; seed++) {
				Random random = new Random(seed);
				byte[] valid = validStream(random);
				check(seed, mutate(valid, random, SMALL_MAX_MSG_SIZE * 2), SMALL_MAX_MSG_SIZE, random);
			}
		});
	}

	@Test
	void everyTruncationOfAValidStream() {
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (long seed = 0; seed < 20; seed++) {
				Random random = new Random(seed);
				byte[] valid = validStream(random);
				for (int cut = 0; cut <= valid.length; cut++) {
					byte[] data = Arrays.copyOf(valid, cut);
					int frames = check(seed * 100_000 + cut, data, SMALL_MAX_MSG_SIZE, random);
					if (cut == valid.length) {
						assertThat(frames).as("seed %d: all frames of the untouched stream", seed)
							.isEqualTo(frameCount(valid));
					}
				}
			}
		});
	}

	@Test
	void defaultLimitWithLargeClaimedSizes() {
		// no max_msg_size: sizes up to the 256 MiB default; payloads grow as bytes
		// arrive,
		// so a corrupt size costs at most about 1 MiB per attempt
		assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
			for (long seed = 0; seed < 400; seed++) {
				Random random = new Random(seed);
				byte[] valid = validStream(random);
				int maxSize = (seed % 20 == 0) ? FrameReader.DEFAULT_MAX_FRAME_SIZE + 8 : 64 * 1024;
				check(seed, mutate(valid, random, maxSize), 0, random);
			}
		});
	}

	/**
	 * Read frames until the reader throws; assert it is a NsqConnectionException.
	 * @return the number of frames read
	 */
	private static int check(long seed, byte[] data, int maxMsgSize, Random random) {
		int bufferSize = 1 + random.nextInt(100);
		InputStream in = switch (random.nextInt(3)) {
			case 0 -> new ByteArrayInputStream(data);
			case 1 -> TestFrames.oneByteAtATime(data);
			default -> TestFrames.chunked(data, random, 1 + random.nextInt(64));
		};
		boolean exactly = random.nextInt(4) == 0;
		FrameReader reader = new FrameReader(in, SOURCE, maxMsgSize, bufferSize);
		int frames = 0;
		try {
			for (int guard = 0; guard <= data.length; guard++) {
				Frame frame = exactly ? FrameReader.readExactly(in, SOURCE) : reader.read();
				assertThat(frame).isNotNull();
				frames++;
			}
			throw new AssertionError("more frames than bytes / 8");
		}
		catch (NsqConnectionException expected) {
			assertThat(expected.getMessage()).contains(SOURCE);
			return frames;
		}
		catch (Throwable ex) {
			throw new AssertionError("seed " + seed + " (buffer " + bufferSize + ", max_msg_size " + maxMsgSize
					+ ", readExactly " + exactly + ", " + data.length + " bytes: "
					+ hex(Arrays.copyOf(data, Math.min(data.length, 64))) + "): " + ex, ex);
		}
	}

	private static byte[] validStream(Random random) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int frames = 1 + random.nextInt(8);
		for (int i = 0; i < frames; i++) {
			switch (random.nextInt(4)) {
				case 0 -> out.writeBytes(TestFrames.response(random.nextBoolean() ? "OK" : "_heartbeat_"));
				case 1 -> out.writeBytes(TestFrames.error("E_INVALID fuzz " + random.nextInt()));
				default -> {
					byte[] body = new byte[random.nextInt(300)];
					random.nextBytes(body);
					out.writeBytes(
							TestFrames.message(random.nextLong(), random.nextInt(65536), "0123456789abcdef", body));
				}
			}
		}
		return out.toByteArray();
	}

	private static int frameCount(byte[] stream) {
		int count = 0;
		for (int at = 0; at < stream.length; at += 4 + FrameReader.toInt(stream, at)) {
			count++;
		}
		return count;
	}

	private static byte[] mutate(byte[] valid, Random random, int maxSize) {
		byte[] data = valid.clone();
		int mutations = 1 + random.nextInt(4);
		for (int m = 0; m < mutations && data.length > 0; m++) {
			switch (random.nextInt(5)) {
				case 0 -> data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
				case 1 -> data = Arrays.copyOf(data, random.nextInt(data.length + 1));
				case 2 -> {
					// overwrite a size field at a frame boundary or anywhere
					int at = (random.nextBoolean()) ? 0 : random.nextInt(data.length);
					if (at + 4 <= data.length) {
						int size = random.nextBoolean() ? random.nextInt(maxSize) : random.nextInt();
						ByteBuffer.wrap(data, at, 4).putInt(size);
					}
				}
				case 3 -> {
					int at = random.nextInt(data.length + 1);
					byte[] inserted = new byte[1 + random.nextInt(8)];
					random.nextBytes(inserted);
					byte[] grown = new byte[data.length + inserted.length];
					System.arraycopy(data, 0, grown, 0, at);
					System.arraycopy(inserted, 0, grown, at, inserted.length);
					System.arraycopy(data, at, grown, at + inserted.length, data.length - at);
					data = grown;
				}
				default -> {
					int at = random.nextInt(data.length);
					int count = Math.min(data.length - at, 1 + random.nextInt(8));
					byte[] shrunk = new byte[data.length - count];
					System.arraycopy(data, 0, shrunk, 0, at);
					System.arraycopy(data, at + count, shrunk, at, data.length - at - count);
					data = shrunk;
				}
			}
		}
		return data;
	}

	private static String hex(byte[] data) {
		StringBuilder out = new StringBuilder();
		for (byte b : data) {
			out.append(String.format("%02x", b));
		}
		return out.toString();
	}

}
