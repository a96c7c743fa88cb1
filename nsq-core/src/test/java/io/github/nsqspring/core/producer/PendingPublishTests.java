package io.github.nsqspring.core.producer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingPublishTests {

	@Test
	void aPublishTheConnectionsCloseFailedBeforeItsWriteFailsTheWriteInsteadOfWritingNothing() {
		// the writer joined the FIFO under the connection's write lock; before it wrote,
		// the reader saw the connection close and failed the FIFO, dropping the message
		PendingPublish pending = new PendingPublish(null, new PublishResult("127.0.0.1:4150", "t", 1),
				"m".getBytes(StandardCharsets.UTF_8));
		pending.release();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThatThrownBy(() -> pending.writeTo(out)).isInstanceOf(IOException.class)
			.hasMessage("the connection closed before the message was written");
		assertThat(out.size()).isZero();
	}

}
