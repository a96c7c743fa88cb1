package io.github.nsqspring.core.producer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.protocol.NsqCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close of a connection fails what it owes on the reader thread, possibly between a
 * publish joining the FIFO (under the write lock) and its write: the write must still
 * find the whole command, and the message is let go once written.
 */
class PendingPublishTests {

	private static final String ADDRESS = "127.0.0.1:4150";

	@Test
	void aPublishTheConnectionsCloseFailedBeforeItsWriteIsStillWrittenWholeThenDropped() throws IOException {
		ProducerSettings settings = new ProducerSettings(NsqConnectionConfig.defaults(), NsqProducerConfig.defaults(),
				null);
		NsqdProducer producer = new NsqdProducer(NsqAddress.parse(ADDRESS), settings);
		NsqdSession session = new NsqdSession(producer, ADDRESS, settings, new Semaphore(16));
		PendingPublish pending = new PendingPublish(session, new PublishResult(ADDRESS, "t", 1), bytes("m"));
		// under the write lock: joins the FIFO
		pending.run();
		// on the reader thread: the connection closed
		session.onClose(null, new IOException("connection reset"));
		assertThat(pending).isCompletedExceptionally();
		assertThat(pending.maybePublished).isTrue();

		ByteArrayOutputStream written = new ByteArrayOutputStream();
		pending.writeTo(written);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		NsqCommand.writePub(expected, bytes("PUB t\n"), bytes("m"));
		assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
		assertThat(pending.body).as("the message once written").isNull();
		assertThat(pending).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(NsqConnectionException.class)
			.withMessageContaining("may or may not have been published");
	}

	@Test
	void aBatchFailedBeforeItsWriteStaysWholeForTheWriter() throws IOException {
		PendingPublish first = batchOf("a", "b", "c");
		PendingPublish.completeAll(first, new NsqConnectionException("connection lost"), true, null);
		assertThat(first).isCompletedExceptionally();
		assertThat(first.next).isCompletedExceptionally();
		assertThat(first.next.next).isCompletedExceptionally();

		ByteArrayOutputStream written = new ByteArrayOutputStream();
		PendingPublish.writeMessages(written, first);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		for (String message : new String[] { "a", "b", "c" }) {
			NsqCommand.writeMessage(expected, bytes(message));
		}
		assertThat(written.toByteArray()).as("every message the MPUB's header counts")
			.isEqualTo(expected.toByteArray());
		for (PendingPublish member = first; member != null; member = member.next) {
			assertThat(member.body).as("a message once written").isNull();
		}
	}

	@Test
	void anAnsweredBatchIsUnlinkedSoAKeptFutureKeepsNoOther() {
		PendingPublish first = batchOf("a", "b");
		PendingPublish second = first.next;
		PendingPublish.completeAll(first, null, true, null);
		assertThat(first).isCompletedWithValueMatching((result) -> result.topic().equals("t"));
		assertThat(second).isCompleted();
		assertThat(first.next).isNull();
	}

	@Test
	void aBatchNeverToBeWrittenLetsGoOfItsMessages() {
		PendingPublish first = batchOf("a", "b");
		PendingPublish.dropMessages(first);
		assertThat(first.body).isNull();
		assertThat(first.next.body).isNull();
	}

	private static PendingPublish batchOf(String... messages) {
		PendingPublish first = null;
		PendingPublish last = null;
		for (String message : messages) {
			PendingPublish member = new PendingPublish(null, new PublishResult(ADDRESS, "t", 1), bytes(message));
			if (first == null) {
				first = member;
			}
			else {
				last.next = member;
			}
			last = member;
		}
		return first;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
