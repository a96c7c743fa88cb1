package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Script;
import io.github.nsqspring.core.consumer.GoldenTraceNsqd.Scripted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The command sequences of go-nsq's own mock-nsqd consumer tests (reference §5.4.5),
 * reproduced exactly: MaxInFlight 5 (1 for the no-backoff case), backoff multiplier 10
 * ms, messages with attempts 0 so that the automatic requeue delay is 0.
 */
class ConsumerGoldenTraceTests {

	private static final String GOOD_ID = "1234567890asdfgh";

	private static final String BAD_ID = "1234567890qwerty";

	private static final Scripted GOOD = Scripted.of(GOOD_ID, "good");

	private static final Scripted BAD = Scripted.of(BAD_ID, "bad");

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void backoff() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of(GOOD, GOOD, GOOD, BAD, BAD, GOOD, GOOD));
		start(nsqd, 5);
		assertTrace(nsqd, 0, "IDENTIFY", "SUB topic ch", "RDY 5", "FIN " + GOOD_ID, "FIN " + GOOD_ID, "FIN " + GOOD_ID,
				"RDY 0", "REQ " + BAD_ID + " 0", "RDY 1", "RDY 0", "REQ " + BAD_ID + " 0", "RDY 1", "RDY 0",
				"FIN " + GOOD_ID, "RDY 1", "RDY 5", "FIN " + GOOD_ID);
	}

	@Test
	void requeueWithoutBackoffKeepsTheLevel() throws Exception {
		String requeueId = "reqreqreqreqreqr";
		String noBackoffId = "reqnobackoffreqn";
		GoldenTraceNsqd nsqd = nsqd(
				Script.of(Scripted.of(requeueId, "requeue"), Scripted.of(noBackoffId, "requeue_no_backoff"), GOOD));
		start(nsqd, 1);
		assertTrace(nsqd, 0, "IDENTIFY", "SUB topic ch", "RDY 1", "RDY 0", "REQ " + requeueId + " 0", "RDY 1", "RDY 0",
				"REQ " + noBackoffId + " 0", "RDY 1", "FIN " + GOOD_ID);
	}

	@Test
	void reconnectionDuringBackoffGetsNoRdyUntilResume() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(
				(index) -> (index == 0) ? Script.closingAfter(GOOD, BAD, BAD, GOOD) : Script.of(GOOD, GOOD));
		start(nsqd, 5);
		assertTrace(nsqd, 0, "IDENTIFY", "SUB topic ch", "RDY 5", "FIN " + GOOD_ID, "RDY 0", "REQ " + BAD_ID + " 0",
				"RDY 1", "RDY 0", "REQ " + BAD_ID + " 0", "RDY 1", "RDY 0", "FIN " + GOOD_ID);
		assertTrace(nsqd, 1, "IDENTIFY", "SUB topic ch", "RDY 1", "RDY 5", "FIN " + GOOD_ID, "FIN " + GOOD_ID);
	}

	@Test
	void pauseAndResume() throws Exception {
		GoldenTraceNsqd nsqd = nsqd(Script.of(GOOD));
		NsqConsumer consumer = start(nsqd, 5);
		await().until(() -> nsqd.commands(0).size() == 4);
		consumer.changeMaxInFlight(0);
		consumer.changeMaxInFlight(5);
		assertTrace(nsqd, 0, "IDENTIFY", "SUB topic ch", "RDY 5", "FIN " + GOOD_ID, "RDY 0", "RDY 5");
	}

	private void assertTrace(GoldenTraceNsqd nsqd, int connection, String... expected) {
		await().atMost(Duration.ofSeconds(10)).until(() -> nsqd.commands(connection).size() >= expected.length);
		// and nothing more follows
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> nsqd.commands(connection).size() == expected.length);
		assertThat(nsqd.commands(connection)).containsExactly(expected);
	}

	private GoldenTraceNsqd nsqd(Script script) throws Exception {
		return nsqd((index) -> script);
	}

	private GoldenTraceNsqd nsqd(java.util.function.IntFunction<Script> scripts) throws Exception {
		GoldenTraceNsqd nsqd = new GoldenTraceNsqd(scripts);
		this.closeables.add(nsqd);
		return nsqd;
	}

	private NsqConsumer start(GoldenTraceNsqd nsqd, int maxInFlight) {
		NsqConfig config = NsqConfig.builder()
			.consumer((consumer) -> consumer.maxInFlight(maxInFlight).backoffMultiplier(Duration.ofMillis(10)))
			.build();
		NsqConsumer consumer = NsqConsumer.builder("topic", "ch")
			.config(config)
			.nsqd(nsqd.address())
			.reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(5))
			.shutdownTimeout(Duration.ofSeconds(1))
			.handler((message) -> {
				switch (new String(message.body())) {
					case "bad" -> throw new IllegalStateException("bad message");
					case "requeue" -> message.requeue();
					case "requeue_no_backoff" -> message.requeueWithoutBackoff(Duration.ZERO);
					default -> {
					}
				}
			})
			.build();
		this.closeables.add(0, consumer);
		consumer.start();
		return consumer;
	}

}
