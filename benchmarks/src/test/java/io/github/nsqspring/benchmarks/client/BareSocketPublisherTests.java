package io.github.nsqspring.benchmarks.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.Scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link BareSocketPublisher} against a scripted peer on loopback: each call waits for
 * its own answer, heartbeats are answered, and a failure reaches every caller.
 */
class BareSocketPublisherTests {

	private ServerSocket server;

	private Socket peer;

	private DataInputStream peerIn;

	private DataOutputStream peerOut;

	/** A thread per call: a parked call must not hold up the next one. */
	private final ExecutorService callers = Executors.newCachedThreadPool();

	@BeforeEach
	void listen() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void close() throws IOException {
		if (this.peer != null) {
			this.peer.close();
		}
		this.server.close();
		this.callers.shutdownNow();
	}

	@Test
	void eachCallReturnsOnItsAnswerAndAHeartbeatIsAnsweredWithNop() throws Exception {
		try (BareSocketPublisher publisher = connect()) {
			CompletableFuture<Void> first = CompletableFuture.runAsync(() -> publish(publisher, "one"), this.callers);
			assertThat(readPub()).isEqualTo("one");
			CompletableFuture<Void> second = CompletableFuture.runAsync(() -> publish(publisher, "two"), this.callers);
			assertThat(readPub()).isEqualTo("two");
			// both PUBs are on the wire and unanswered: neither call has returned
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
			frame(0, "_heartbeat_");
			assertThat(new String(this.peerIn.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("NOP\n");
			frame(0, "OK");
			first.get(10, TimeUnit.SECONDS);
			assertThat(second).isNotDone();
			frame(0, "OK");
			second.get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void anErrorFrameFailsTheWaitingCallAndEveryLaterOne() throws Exception {
		try (BareSocketPublisher publisher = connect()) {
			CompletableFuture<Void> call = CompletableFuture.runAsync(() -> publish(publisher, "one"), this.callers);
			readPub();
			frame(1, "E_BAD_TOPIC PUB topic name is not valid");
			assertThat(call).failsWithin(10, TimeUnit.SECONDS)
				.withThrowableOfType(Exception.class)
				.havingRootCause()
				.isInstanceOf(IOException.class)
				.withMessage("nsqd answered E_BAD_TOPIC PUB topic name is not valid");
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> publisher.publish("t", body("two")))
				.withMessage("nsqd answered E_BAD_TOPIC PUB topic name is not valid");
		}
	}

	@Test
	void aClosedConnectionFailsTheWaitingCall() throws Exception {
		try (BareSocketPublisher publisher = connect()) {
			CompletableFuture<Void> call = CompletableFuture.runAsync(() -> publish(publisher, "one"), this.callers);
			readPub();
			this.peer.close();
			assertThat(call).failsWithin(10, TimeUnit.SECONDS)
				.withThrowableOfType(Exception.class)
				.havingRootCause()
				.isInstanceOf(IOException.class)
				.withMessage("nsqd closed the connection");
		}
	}

	@Test
	void closingFailsACallStillWaiting() throws Exception {
		BareSocketPublisher publisher = connect();
		CompletableFuture<Void> call = CompletableFuture.runAsync(() -> publish(publisher, "one"), this.callers);
		readPub();
		publisher.close();
		assertThat(call).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableOfType(Exception.class)
			.havingRootCause()
			.isInstanceOf(IOException.class)
			.withMessage("the publisher was closed");
	}

	@Test
	void runsPubWireAndPubSyncOnly() {
		BareSocketClient client = new BareSocketClient();
		assertThat(client.unsupported(Scenario.PUB_SYNC)).isEmpty();
		assertThat(client.unsupported(Scenario.MPUB))
			.contains("bare-socket is no client: it runs pub-wire and pub-sync only");
	}

	private BareSocketPublisher connect() throws IOException {
		BareSocketPublisher publisher = new BareSocketPublisher("127.0.0.1:" + this.server.getLocalPort());
		this.peer = this.server.accept();
		this.peer.setSoTimeout(10_000);
		this.peerIn = new DataInputStream(this.peer.getInputStream());
		this.peerOut = new DataOutputStream(this.peer.getOutputStream());
		assertThat(new String(this.peerIn.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("  V2");
		return publisher;
	}

	private static void publish(BareSocketPublisher publisher, String text) {
		try {
			publisher.publish("t", body(text));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] body(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Read one PUB to topic t; returns its body. */
	private String readPub() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = this.peerIn.read(); b != '\n'; b = this.peerIn.read()) {
			line.write(b);
		}
		assertThat(line.toString(StandardCharsets.US_ASCII)).isEqualTo("PUB t");
		return new String(this.peerIn.readNBytes(this.peerIn.readInt()), StandardCharsets.US_ASCII);
	}

	private void frame(int type, String data) throws IOException {
		byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
		this.peerOut.writeInt(4 + bytes.length);
		this.peerOut.writeInt(type);
		this.peerOut.write(bytes);
		this.peerOut.flush();
	}

}
