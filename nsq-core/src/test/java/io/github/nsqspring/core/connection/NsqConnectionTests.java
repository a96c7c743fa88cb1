package io.github.nsqspring.core.connection;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.config.NsqTlsConfig;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.core.protocol.NsqErrorCode;
import io.github.nsqspring.core.testsupport.NsqWire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How a connection handles what a real nsqd would not send, driven by a scripted server.
 */
class NsqConnectionTests {

	private static final String IDENTIFY_ANSWER = "{\"max_rdy_count\":2500,\"version\":\"1.3.0\",\"max_msg_timeout\":900000,"
			+ "\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,\"deflate_level\":6,\"max_deflate_level\":6,"
			+ "\"snappy\":false,\"sample_rate\":0,\"auth_required\":false,\"output_buffer_size\":16384,"
			+ "\"output_buffer_timeout\":250}";

	private RawAnswerNsqd nsqd;

	private final RecordingHandler handler = new RecordingHandler();

	@BeforeEach
	void startServer() throws Exception {
		this.nsqd = new RawAnswerNsqd();
	}

	@AfterEach
	void stopServer() throws Exception {
		this.nsqd.close();
	}

	@Test
	void identifySendsMagicThenEveryConfiguredField() throws Exception {
		NsqConnection connection = open(NsqConfig.builder()
			.connection((settings) -> settings.clientId("cid"))
			.consumer((consumer) -> consumer.msgTimeout(Duration.ofSeconds(5)))
			.build());
		assertThat(this.nsqd.nextCommand()).isEqualTo("  V2");
		assertThat(this.nsqd.nextCommand()).isEqualTo("IDENTIFY");
		assertThat(connection.identifyResponse().maxRdyCount()).isEqualTo(2500);
		assertThat(connection.identifyResponse().version()).isEqualTo("1.3.0");
		assertThat(this.nsqd.identifyBody()).contains("\"client_id\":\"cid\"", "\"feature_negotiation\":true",
				"\"heartbeat_interval\":30000", "\"output_buffer_size\":16384", "\"output_buffer_timeout\":250",
				"\"msg_timeout\":5000", "\"deflate_level\":6", "\"sample_rate\":0", "\"user_agent\":\"nsq-spring/");
		connection.close();
	}

	@Test
	void aSubscribingConnectionTakesMsgTimeoutAndMaxMsgSizeFromTheConsumerSection() throws Exception {
		NsqConnection connection = open(NsqConfig.builder()
			.consumer((consumer) -> consumer.msgTimeout(Duration.ofSeconds(7)).maxMsgSize(100))
			.build());
		skipHandshake();
		assertThat(this.nsqd.identifyBody()).contains("\"msg_timeout\":7000");
		this.nsqd.sendResponse("x".repeat(300));
		assertThat(this.handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining("max_msg_size");
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void aPublishingConnectionAsksForNsqdsDefaultMsgTimeoutAndTakesAnyAnswer() throws Exception {
		NsqConnectionConfig settings = NsqConnectionConfig.builder().clientId("publisher").build();
		CompletableFuture<NsqConnection> opening = openAsync(settings);
		this.nsqd.sendResponse(IDENTIFY_ANSWER);
		NsqConnection connection = opening.get(10, TimeUnit.SECONDS);
		skipHandshake();
		assertThat(this.nsqd.identifyBody()).contains("\"client_id\":\"publisher\"", "\"msg_timeout\":0");
		assertThat(connection.config()).isSameAs(settings);
		this.nsqd.sendResponse("x".repeat(300));
		assertThat(this.handler.frames.poll(5, TimeUnit.SECONDS)).isInstanceOf(Frame.Response.class);
		assertThat(connection.isOpen()).isTrue();
		connection.close();
	}

	@Test
	void heartbeatIsAnsweredWithNopAndNotShownToTheHandler() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		this.nsqd.sendResponse("_heartbeat_");
		assertThat(this.nsqd.nextCommand()).isEqualTo("NOP");
		this.nsqd.sendResponse("OK");
		assertThat(this.handler.frames.poll(5, TimeUnit.SECONDS)).isInstanceOf(Frame.Response.class)
			.satisfies((frame) -> assertThat(((Frame.Response) frame).isOk()).isTrue());
		assertThat(this.handler.frames).isEmpty();
		connection.close();
	}

	@Test
	void messagesOfOneReadReachTheHandlerBeforeTheBatchEnd() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (String body : List.of("a", "b", "c")) {
			frames.write(NsqWire.messageFrame(1L, 1, "0123456789abcdef", body.getBytes(StandardCharsets.UTF_8)));
		}
		// one write: the reader reads the three frames at once
		this.nsqd.send(frames.toByteArray());
		await().until(() -> this.handler.events.contains("message c"));
		await().until(() -> this.handler.events.get(this.handler.events.size() - 1).startsWith("batch end"));
		List<String> messages = this.handler.events.stream().filter((event) -> event.startsWith("message")).toList();
		assertThat(messages).containsExactly("message a", "message b", "message c");
		List<String> batchEnds = this.handler.events.stream().filter((event) -> event.startsWith("batch end")).toList();
		assertThat(this.handler.events.indexOf(batchEnds.get(batchEnds.size() - 1)))
			.as("batch end after the last message of the read")
			.isGreaterThan(this.handler.events.indexOf("message c"));
		int counted = batchEnds.stream().mapToInt((event) -> Integer.parseInt(event.substring(13))).sum();
		assertThat(counted).as("messages counted by the batch ends").isEqualTo(3);
		connection.close();
	}

	@Test
	void nonFatalErrorKeepsTheConnection() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		this.nsqd.sendError("E_FIN_FAILED FIN 0123456789abcdef failed ID not in flight");
		Frame.Error error = (Frame.Error) this.handler.frames.poll(5, TimeUnit.SECONDS);
		assertThat(error.code()).isEqualTo(NsqErrorCode.E_FIN_FAILED);
		connection.send(NsqCommand.nop());
		assertThat(this.nsqd.nextCommand()).isEqualTo("NOP");
		assertThat(connection.isOpen()).isTrue();
		connection.close();
	}

	@Test
	void fatalErrorFollowedByCloseIsReportedAsTheCause() throws Exception {
		open(NsqConfig.defaults());
		skipHandshake();
		this.nsqd.sendError("E_BAD_TOPIC PUB topic name \"a b\" is not valid");
		this.nsqd.closeClient();
		Throwable cause = this.handler.closed.get(5, TimeUnit.SECONDS);
		assertThat(cause).isInstanceOf(NsqProtocolException.class);
		assertThat(((NsqProtocolException) cause).code()).isEqualTo(NsqErrorCode.E_BAD_TOPIC);
	}

	@Test
	void negativeFrameSizeEndsTheConnection() throws Exception {
		assertClosedWith(RawAnswerNsqd.ints(-5, 0), "invalid frame size -5");
	}

	@Test
	void httpAnswerOnTheTcpPortIsRecognised() throws Exception {
		assertClosedWith("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "HTTP port");
	}

	@Test
	void unknownFrameTypeEndsTheConnection() throws Exception {
		assertClosedWith(RawAnswerNsqd.ints(6, 7, 0), "unknown frame type 7");
	}

	@Test
	void shortMessageFrameEndsTheConnection() throws Exception {
		assertClosedWith(RawAnswerNsqd.frame(2, new byte[10]), "less than the 26-byte message header");
	}

	@Test
	void peerStoppingMidFrameEndsTheConnection() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		this.nsqd.send(RawAnswerNsqd.ints(100, 0));
		this.nsqd.send(new byte[10]);
		this.nsqd.closeClient();
		Throwable cause = this.handler.closed.get(5, TimeUnit.SECONDS);
		assertThat(cause).isInstanceOf(NsqConnectionException.class).hasMessageContaining("in the middle of the frame");
		assertThat(connection.isOpen()).isFalse();
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> connection.send(NsqCommand.nop()))
			.withMessageContaining("closed");
	}

	@Test
	void identifyAnswerThatIsNotJsonFailsTheConnect() throws Exception {
		CompletableFuture<NsqConnection> opening = CompletableFuture
			.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), NsqConfig.defaults(), this.handler));
		this.nsqd.nextCommand();
		this.nsqd.nextCommand();
		this.nsqd.sendResponse("{\"max_rdy_count\":");
		assertThat(opening).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(NsqConnectionException.class)
			.withMessageContaining("invalid IDENTIFY answer");
	}

	@Test
	void identifyRejectedByNsqdFailsWithTheProtocolError() throws Exception {
		CompletableFuture<NsqConnection> opening = CompletableFuture
			.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), NsqConfig.defaults(), this.handler));
		this.nsqd.nextCommand();
		this.nsqd.nextCommand();
		this.nsqd.sendError("E_BAD_BODY IDENTIFY heartbeat interval (500) is invalid");
		assertThat(opening).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(NsqProtocolException.class)
			.withMessageContaining("E_BAD_BODY");
	}

	@Test
	void authRequiredWithoutSecretFailsClearly() throws Exception {
		CompletableFuture<NsqConnection> opening = CompletableFuture
			.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), NsqConfig.defaults(), this.handler));
		this.nsqd.nextCommand();
		this.nsqd.nextCommand();
		this.nsqd.sendResponse(IDENTIFY_ANSWER.replace("\"auth_required\":false", "\"auth_required\":true"));
		assertThat(opening).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(NsqAuthException.class)
			.withMessageContaining("no auth_secret is configured");
	}

	@Test
	void authAnswerIsExposedAndSecretNeverInMessages() throws Exception {
		NsqConfig config = NsqConfig.builder()
			.connection((connection) -> connection.authSecret("top-secret-value"))
			.build();
		CompletableFuture<NsqConnection> opening = CompletableFuture
			.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), config, this.handler));
		this.nsqd.nextCommand();
		this.nsqd.nextCommand();
		this.nsqd.sendResponse(IDENTIFY_ANSWER.replace("\"auth_required\":false", "\"auth_required\":true"));
		assertThat(this.nsqd.nextCommand()).isEqualTo("AUTH");
		this.nsqd.sendResponse("{\"identity\":\"alice\",\"identity_url\":\"\",\"permission_count\":2}");
		NsqConnection connection = opening.get(5, TimeUnit.SECONDS);
		assertThat(connection.authResponse().identity()).isEqualTo("alice");
		assertThat(connection.authResponse().permissionCount()).isEqualTo(2);
		assertThat(config.toString()).doesNotContain("top-secret-value");
		assertThat(NsqCommand.auth("top-secret-value".getBytes()).toString()).doesNotContain("top-secret-value");
		connection.close();
	}

	@Test
	void silenceLongerThanReadTimeoutEndsTheConnection() throws Exception {
		open(NsqConfig.builder()
			.connection((connection) -> connection.readTimeout(Duration.ofMillis(300))
				.heartbeatInterval(Duration.ofMillis(-1)))
			.build());
		skipHandshake();
		Throwable cause = this.handler.closed.get(5, TimeUnit.SECONDS);
		assertThat(cause).isInstanceOf(NsqTimeoutException.class).hasMessageContaining("read_timeout");
	}

	@Test
	void nsqdThatNeverAnswersIdentifyFailsTheOpenAfterReadTimeout() throws Exception {
		NsqConnectionConfig settings = NsqConnectionConfig.builder()
			.readTimeout(Duration.ofMillis(300))
			.heartbeatInterval(Duration.ofMillis(-1))
			.build();
		CompletableFuture<NsqConnection> opening = openAsync(settings);
		assertThat(this.nsqd.nextCommand()).isEqualTo("  V2");
		assertThat(this.nsqd.nextCommand()).isEqualTo("IDENTIFY");
		assertTimesOut(opening, this.nsqd.address(), "read_timeout PT0.3S");
	}

	@Test
	void aTlsHandshakeThatNsqdNeverAnswersFailsTheOpenAfterReadTimeout() throws Exception {
		NsqConnectionConfig settings = NsqConnectionConfig.builder()
			.readTimeout(Duration.ofMillis(300))
			.heartbeatInterval(Duration.ofMillis(-1))
			.tlsV1(true)
			.tlsConfig(NsqTlsConfig.builder().insecureSkipVerify(true).build())
			.build();
		CompletableFuture<NsqConnection> opening = openAsync(settings);
		this.nsqd.sendResponse(IDENTIFY_ANSWER.replace("\"tls_v1\":false", "\"tls_v1\":true"));
		assertTimesOut(opening, this.nsqd.address(), "read_timeout PT0.3S");
	}

	@Test
	void aConnectThatNsqdNeverAcceptsFailsAfterDialTimeout() throws Exception {
		try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<Socket> queued = new ArrayList<>();
			try {
				// nothing accepts: once the accept queue is full, Linux drops further
				// SYNs
				boolean filled = false;
				while (!filled && queued.size() < 16) {
					Socket socket = new Socket();
					queued.add(socket);
					try {
						socket.connect(full.getLocalSocketAddress(), 200);
					}
					catch (SocketTimeoutException ex) {
						filled = true;
					}
				}
				assumeTrue(filled, "this kernel completes connects beyond the accept queue");
				NsqConnectionConfig settings = NsqConnectionConfig.builder()
					.dialTimeout(Duration.ofMillis(300))
					.build();
				NsqAddress address = new NsqAddress("127.0.0.1", full.getLocalPort());
				CompletableFuture<NsqConnection> opening = CompletableFuture
					.supplyAsync(() -> NsqConnection.open(address, settings, this.handler));
				assertTimesOut(opening, address, "dial_timeout PT0.3S");
			}
			finally {
				for (Socket socket : queued) {
					socket.close();
				}
			}
		}
	}

	private CompletableFuture<NsqConnection> openAsync(NsqConnectionConfig settings) {
		return CompletableFuture.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), settings, this.handler));
	}

	/**
	 * The open fails within a few seconds with the timeout of the given option.
	 */
	private static void assertTimesOut(CompletableFuture<NsqConnection> opening, NsqAddress address, String timeout) {
		assertThat(opening).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(NsqTimeoutException.class)
			.withMessage("timed out connecting to nsqd " + address + " (" + timeout + ")");
	}

	@Test
	void closeReleasesTheReaderThreadAndReportsNoCause() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		String threadName = "nsq-reader-" + this.nsqd.address();
		assertThat(threadNames()).contains(threadName);
		connection.close();
		assertThat(this.handler.closed.get(5, TimeUnit.SECONDS)).isNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> !threadNames().contains(threadName));
		assertThat(connection.isOpen()).isFalse();
	}

	@Test
	void concurrentWritersAllReachTheServerInOnePieceEach() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		int threads = 8;
		int perThread = 500;
		List<Thread> writers = new CopyOnWriteArrayList<>();
		for (int t = 0; t < threads; t++) {
			int id = t;
			Thread writer = new Thread(() -> {
				for (int i = 0; i < perThread; i++) {
					connection.send(NsqCommand.pub("t" + id, ("m" + i).getBytes(StandardCharsets.UTF_8)));
				}
			});
			writers.add(writer);
			writer.start();
		}
		for (Thread writer : writers) {
			writer.join(10_000);
		}
		int[] next = new int[threads];
		for (int i = 0; i < threads * perThread; i++) {
			String command = this.nsqd.nextCommand();
			assertThat(command).startsWith("PUB t");
			int id = Integer.parseInt(command.substring(5));
			next[id]++;
		}
		assertThat(next).containsOnly(perThread);
		connection.close();
	}

	/**
	 * A consumer closes a drained connection right after its last answers were written
	 * without flush; another thread may then be queued to flush them (a handler thread
	 * that answered while the connection was draining). Those answers must reach nsqd: a
	 * FIN lost there leaves the message to nsqd's timeout although the handler succeeded.
	 */
	@Test
	void flushAndCloseSendsWhatWasWrittenWithoutFlushWhileAnotherFlushIsQueued() throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		byte[] id = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		connection.send(NsqCommand.fin(id), null, false);
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = new Thread(() -> connection.send(NsqCommand.nop(), () -> {
			holding.countDown();
			awaitUninterruptibly(release);
		}, false), "holds-the-write-lock");
		holder.start();
		assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
		Thread closer = new Thread(connection::flushAndClose, "closes");
		closer.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> closer.getState() == Thread.State.WAITING);
		Thread flusher = new Thread(() -> {
			try {
				connection.flush();
			}
			catch (NsqConnectionException ex) {
				// closed before its turn: the closer flushed
			}
		}, "queued-flush");
		flusher.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> flusher.getState() == Thread.State.WAITING);
		release.countDown();
		for (Thread thread : List.of(holder, closer, flusher)) {
			thread.join(5000);
			assertThat(thread.isAlive()).as(thread.getName()).isFalse();
		}
		assertThat(this.nsqd.nextCommand()).isEqualTo("FIN 0123456789abcdef");
		assertThat(this.nsqd.nextCommand()).isEqualTo("NOP");
		assertThat(this.handler.closed.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(connection.isOpen()).isFalse();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void assertClosedWith(byte[] bytes, String expectedMessage) throws Exception {
		NsqConnection connection = open(NsqConfig.defaults());
		skipHandshake();
		this.nsqd.send(bytes);
		Throwable cause = this.handler.closed.get(5, TimeUnit.SECONDS);
		assertThat(cause).isInstanceOf(NsqConnectionException.class)
			.hasMessageContaining(expectedMessage)
			.hasMessageContaining(this.nsqd.address().toString());
		assertThat(connection.isOpen()).isFalse();
		assertThat(connection.failure()).isSameAs(cause);
	}

	private NsqConnection open(NsqConfig config) throws Exception {
		CompletableFuture<NsqConnection> opening = CompletableFuture
			.supplyAsync(() -> NsqConnection.open(this.nsqd.address(), config, this.handler));
		this.nsqd.sendResponse(IDENTIFY_ANSWER);
		return opening.get(10, TimeUnit.SECONDS);
	}

	private void skipHandshake() throws InterruptedException {
		assertThat(this.nsqd.nextCommand()).isEqualTo("  V2");
		assertThat(this.nsqd.nextCommand()).isEqualTo("IDENTIFY");
	}

	private static List<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
	}

	static final class RecordingHandler implements ConnectionHandler {

		final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

		final CompletableFuture<Throwable> closed = new CompletableFuture<>();

		/** Messages ("message <body>") and batch ends, in order. */
		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onResponse(NsqConnection connection, Frame.Response response) {
			this.frames.add(response);
		}

		@Override
		public void onError(NsqConnection connection, Frame.Error error) {
			this.frames.add(error);
		}

		@Override
		public void onMessage(NsqConnection connection, Frame.Message message) {
			this.events.add("message " + new String(message.body(), StandardCharsets.UTF_8));
			this.frames.add(message);
		}

		@Override
		public void onReadBatchEnd(NsqConnection connection, int messages) {
			this.events.add("batch end of " + messages);
		}

		@Override
		public void onClose(NsqConnection connection, Throwable cause) {
			this.closed.complete(cause);
		}

	}

}
