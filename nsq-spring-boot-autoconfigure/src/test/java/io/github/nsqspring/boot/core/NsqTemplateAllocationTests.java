package io.github.nsqspring.boot.core;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.ProducerStats;
import io.github.nsqspring.core.producer.PublishResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: a plain {@code send(topic, byte[])} (no observation, metrics or envelope)
 * costs the caller no more than its result on top of the producer's publish, measured on
 * the calling thread, never timed.
 */
class NsqTemplateAllocationTests {

	@Test
	void plainByteArraySendAllocatesOnlyItsResult() {
		NsqTemplate template = new NsqTemplate(new AnsweringProducer(), DefaultNsqMessageConverter.create());
		byte[] body = new byte[200];
		for (int i = 0; i < 20_000; i++) {
			template.send("orders", body);
		}
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		int count = 20_000;
		long before = threads.getCurrentThreadAllocatedBytes();
		NsqSendResult last = null;
		for (int i = 0; i < count; i++) {
			last = template.send("orders", body);
		}
		long perSend = (threads.getCurrentThreadAllocatedBytes() - before) / count;
		// the NsqSendResult (24 bytes); before issue 15 the send's bookkeeping (payload
		// lists, a header map, its publication) added about 120 bytes
		assertThat(perSend).as("bytes allocated per send").isLessThanOrEqualTo(24);
		assertThat(last).isEqualTo(new NsqSendResult("orders", 1, "127.0.0.1:4150"));
	}

	/** Answers every publish with the same result, allocating nothing. */
	private static final class AnsweringProducer implements NsqProducer {

		private final PublishResult result = new PublishResult("127.0.0.1:4150", "orders", 1);

		private final CompletableFuture<PublishResult> done = CompletableFuture.completedFuture(this.result);

		@Override
		public PublishResult publish(String topic, byte[] body) {
			return this.result;
		}

		@Override
		public CompletableFuture<PublishResult> publishAsync(String topic, byte[] body) {
			return this.done;
		}

		@Override
		public CompletableFuture<PublishResult> multiPublishAsync(String topic, List<byte[]> bodies) {
			return this.done;
		}

		@Override
		public CompletableFuture<PublishResult> deferredPublishAsync(String topic, Duration delay, byte[] body) {
			return this.done;
		}

		@Override
		public void ping() {
		}

		@Override
		public ProducerStats stats() {
			return new ProducerStats(0, 0, 0, List.of());
		}

		@Override
		public void close() {
		}

	}

}
