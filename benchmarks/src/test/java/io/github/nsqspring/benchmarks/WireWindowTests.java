package io.github.nsqspring.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link WireWindow} against a scripted peer on loopback: what it writes, how many PUBs
 * it leaves unanswered, and how it fails.
 */
class WireWindowTests {

	private static final int SIZE = 40;

	private ServerSocket server;

	@BeforeEach
	void listen() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void close() throws IOException {
		this.server.close();
	}

	@Test
	void keepsAtMostTheWindowUnansweredAndAnswersAHeartbeatWithNop() throws Exception {
		CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
			try (Socket socket = this.server.accept()) {
				socket.setSoTimeout(10_000);
				DataInputStream in = new DataInputStream(socket.getInputStream());
				DataOutputStream out = new DataOutputStream(socket.getOutputStream());
				assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("  V2");
				// three PUBs arrive before any answer, and no fourth
				for (int i = 0; i < 3; i++) {
					readPub(in, i);
				}
				assertThat(in.available()).isZero();
				frame(out, 0, "_heartbeat_");
				assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("NOP\n");
				for (int answered = 0, next = 3; answered < 5; answered++) {
					frame(out, 0, "OK");
					if (next < 5) {
						readPub(in, next++);
					}
				}
				return "done";
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		AtomicLong acknowledged = new AtomicLong();
		window(3).publish("t", 5, acknowledged);
		assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(acknowledged).hasValue(5);
	}

	@Test
	void anErrorFrameFailsWithNsqdsMessage() {
		answerWith((out) -> frame(out, 1, "E_BAD_TOPIC PUB topic name is not valid"));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> window(8).publish("t", 10, new AtomicLong()))
			.withMessage("nsqd answered E_BAD_TOPIC PUB topic name is not valid");
	}

	@Test
	void aClosedConnectionFailsSayingHowManyWereAnswered() {
		answerWith((out) -> frame(out, 0, "OK"));
		assertThatExceptionOfType(EOFException.class).isThrownBy(() -> window(8).publish("t", 10, new AtomicLong()))
			.withMessage("nsqd closed the connection after 1 answers");
	}

	private WireWindow window(int outstanding) {
		return new WireWindow("127.0.0.1:" + this.server.getLocalPort(), outstanding, SIZE);
	}

	/**
	 * Accept, read the first PUB, write the answer, close the peer's side of the
	 * connection and read until the window closes its own.
	 */
	private void answerWith(Answer answer) {
		CompletableFuture.runAsync(() -> {
			try (Socket socket = this.server.accept()) {
				DataInputStream in = new DataInputStream(socket.getInputStream());
				in.readNBytes(4);
				readPub(in, 0);
				DataOutputStream out = new DataOutputStream(socket.getOutputStream());
				answer.write(out);
				socket.shutdownOutput();
				in.readAllBytes();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private static void readPub(DataInputStream in, long sequence) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			line.write(b);
		}
		assertThat(line.toString(StandardCharsets.US_ASCII)).isEqualTo("PUB t");
		byte[] body = in.readNBytes(in.readInt());
		assertThat(body).hasSize(SIZE);
		assertThat(BodyCodec.sequence(body)).isEqualTo(sequence);
	}

	private static void frame(DataOutputStream out, int type, String data) throws IOException {
		byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
		out.writeInt(4 + bytes.length);
		out.writeInt(type);
		out.write(bytes);
		out.flush();
	}

	@FunctionalInterface
	private interface Answer {

		void write(DataOutputStream out) throws IOException;

	}

}
