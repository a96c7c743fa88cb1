package io.github.nsqspring.core.consumer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import io.github.nsqspring.core.protocol.MessageId;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.WireCommand;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MessageAnswerTests {

	private static final byte[] ID = "0a1b2c3d4e5f6789".getBytes(StandardCharsets.US_ASCII);

	private static final long HIGH = MessageId.high(ID);

	private static final long LOW = MessageId.low(ID);

	@Test
	void finIsByteForByteTheCommands() throws IOException {
		MessageAnswer answer = new MessageAnswer().fin(HIGH, LOW);
		assertThat(bytes(answer)).isEqualTo(NsqCommand.fin(ID).toBytes());
		assertThat(answer.name()).isEqualTo("FIN");
		assertThat(answer).hasToString("FIN 0a1b2c3d4e5f6789");
	}

	@Test
	void reqIsByteForByteTheCommandsForEveryNumberOfDigits() throws IOException {
		MessageAnswer answer = new MessageAnswer();
		for (long delay : new long[] { 0, 7, 10, 99, 100, 12345, 3_600_000, Long.MAX_VALUE }) {
			answer.req(HIGH, LOW, delay);
			assertThat(bytes(answer)).as("REQ %d", delay).isEqualTo(NsqCommand.req(ID, delay).toBytes());
			assertThat(answer.name()).isEqualTo("REQ");
		}
	}

	@Test
	void touchIsByteForByteTheCommands() throws IOException {
		MessageAnswer answer = new MessageAnswer().req(HIGH, LOW, 123456).touch(HIGH, LOW);
		assertThat(bytes(answer)).isEqualTo(NsqCommand.touch(ID).toBytes());
		assertThat(answer.name()).isEqualTo("TOUCH");
	}

	@Test
	void negativeRequeueDelayIsRejectedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MessageAnswer().req(HIGH, LOW, -5))
			.withMessageContaining("-5");
	}

	@Test
	void reusedAnswerAllocatesNothing() throws IOException {
		// issue 15: a worker answers every message through its one MessageAnswer
		MessageAnswer answer = new MessageAnswer();
		CountingStream out = new CountingStream();
		for (int i = 0; i < 10_000; i++) {
			answer.fin(HIGH, i).writeTo(out);
			answer.req(HIGH, i, i).writeTo(out);
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < 10_000; i++) {
			answer.fin(HIGH, i).writeTo(out);
			answer.req(HIGH, i, i).writeTo(out);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated / 20_000).as("bytes allocated per answer").isZero();
		assertThat(out.count).isPositive();
	}

	private static byte[] bytes(WireCommand command) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		command.writeTo(out);
		return out.toByteArray();
	}

	private static final class CountingStream extends java.io.OutputStream {

		long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.count += len;
		}

	}

}
