package io.github.nsqspring.test.integration.consumer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.support.Threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: in the steady state the consumer allocates at most the body and 128 bytes per
 * message, counted over every thread of the consumer (its connection reader, handler
 * workers and timers; the embedded nsqd's threads are left out). Allocation is counted,
 * not timed, so the machine's load cannot change the outcome.
 */
class ConsumerAllocationIntegrationTests {

	private static final int BODY_SIZE = 200;

	private static final int WARM_UP = 20_000;

	private static final int MEASURED = 40_000;

	@RegisterExtension
	final Closeables closeables = new Closeables();

	@ParameterizedTest
	@EnumSource(Backend.class)
	void steadyStateAllocatesAtMostTheBodyAnd128BytesPerMessage(Backend backend) throws Exception {
		NsqCluster cluster = backend.start(1);
		this.closeables.add(cluster);
		String topic = "allocation";
		publish(cluster, topic, 0, WARM_UP);
		AtomicInteger handled = new AtomicInteger();
		// a small max in flight: what the reader has read ahead of the handler at either
		// end of the window stays within a few bytes per message
		NsqConsumer consumer = NsqConsumer.builder(topic, "ch")
			.config(NsqConfig.builder().consumer((c) -> c.maxInFlight(100)).build())
			.nsqd(cluster.nsqdTcpAddress(0))
			.handler((message) -> handled.incrementAndGet())
			.build();
		this.closeables.addFirst(consumer);
		consumer.start();
		// the measured messages are published only once the warm-up ones are handled:
		// published together, a busy machine could let the consumer run past the start of
		// the window before this thread looks, leaving too few messages to measure
		await().atMost(Duration.ofSeconds(120)).until(() -> handled.get() >= WARM_UP);
		long[] threads = consumerThreads();
		assertThat(threads).as("the consumer's threads").hasSizeGreaterThanOrEqualTo(2);
		int handledBefore = handled.get();
		long allocatedBefore = allocated(threads);
		publish(cluster, topic, WARM_UP, MEASURED);
		await().atMost(Duration.ofSeconds(120)).until(() -> handled.get() >= handledBefore + MEASURED);
		long allocatedAfter = allocated(threads);
		int messages = handled.get() - handledBefore;
		assertThat((allocatedAfter - allocatedBefore) / messages).as("bytes allocated per %d-byte message", BODY_SIZE)
			.isLessThanOrEqualTo(BODY_SIZE + 128);
	}

	/**
	 * Publish {@code count} bodies numbered from {@code first}, in MPUBs within nsqd's
	 * limits.
	 */
	private static void publish(NsqCluster cluster, String topic, int first, int count) throws Exception {
		for (int start = first; start < first + count; start += 10_000) {
			List<String> bodies = new ArrayList<>();
			for (int i = start; i < Math.min(start + 10_000, first + count); i++) {
				StringBuilder body = new StringBuilder("m").append(i).append('-');
				while (body.length() < BODY_SIZE) {
					body.append('x');
				}
				bodies.add(body.toString());
			}
			NsqdHttp.publish(cluster, 0, topic, bodies);
		}
	}

	/** The consumer's threads: named nsq-..., but not the embedded nsqd's nsq-test-... */
	private static long[] consumerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("nsq-") && !thread.getName().startsWith(Threads.PREFIX))
			.mapToLong(Thread::getId)
			.toArray();
	}

	private static long allocated(long[] threads) {
		com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long total = 0;
		for (long bytes : bean.getThreadAllocatedBytes(threads)) {
			assertThat(bytes).as("a consumer thread ended inside the window").isNotNegative();
			total += bytes;
		}
		return total;
	}

}
