package io.github.nsqspring.test.integration.connection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqTlsConfig;
import io.github.nsqspring.core.connection.ConnectionHandler;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.auth.AuthResponse;
import io.github.nsqspring.test.tls.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Feature negotiation of {@link NsqConnection} against an nsqd that offers TLS, snappy
 * and deflate, and AUTH against one that requires it. Subclasses choose the nsqd:
 * embedded or real binaries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectionNegotiationContract {

	static final String SECRET = "negotiation-secret";

	private NsqCluster cluster;

	private NsqCluster authCluster;

	/**
	 * Start the nsqd under test.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	@BeforeAll
	void startClusters() {
		this.cluster = start(NsqClusterSpec.of(1, false).withOptions(NsqdOptions.builder().tls(true).build()));
		this.authCluster = start(
				NsqClusterSpec.of(1, false)
					.withOptions(NsqdOptions.builder()
						.authorizer((request) -> SECRET.equals(request.secret())
								? new AuthResponse("tester", "", 3600,
										List.of(new AuthResponse.Authorization("^auth_.*", List.of(".*"),
												List.of("publish", "subscribe"))))
								: new AuthResponse("", "", 3600, List.of()))
						.build()));
	}

	@AfterAll
	void stopClusters() {
		if (this.cluster != null) {
			this.cluster.close();
		}
		if (this.authCluster != null) {
			this.authCluster.close();
		}
	}

	enum Mode {

		PLAIN(false, false, false), TLS(true, false, false), SNAPPY(false, true, false), DEFLATE(false, false, true),
		TLS_SNAPPY(true, true, false), TLS_DEFLATE(true, false, true);

		final boolean tls;

		final boolean snappy;

		final boolean deflate;

		Mode(boolean tls, boolean snappy, boolean deflate) {
			this.tls = tls;
			this.snappy = snappy;
			this.deflate = deflate;
		}

		NsqConfig config() {
			NsqConfig.Builder builder = NsqConfig.builder()
				.connection((connection) -> connection.tlsV1(this.tls).snappy(this.snappy).deflate(this.deflate));
			if (this.tls) {
				builder.connection((connection) -> connection
					.tlsConfig(NsqTlsConfig.builder().rootCaFile(TestCertificates.caPemPath()).build()));
			}
			return builder.build();
		}

	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void negotiatesAndCarriesMessagesBothWays(Mode mode) throws Exception {
		String topic = "negotiate_" + mode.name().toLowerCase() + "_" + unique();
		Recorder consumerFrames = new Recorder();
		try (NsqConnection consumer = NsqConnection.open(address(this.cluster), mode.config(), consumerFrames);
				NsqConnection producer = NsqConnection.open(address(this.cluster), mode.config(), new Recorder())) {
			assertThat(consumer.identifyResponse().tlsV1()).isEqualTo(mode.tls);
			assertThat(consumer.identifyResponse().snappy()).isEqualTo(mode.snappy);
			assertThat(consumer.identifyResponse().deflate()).isEqualTo(mode.deflate);
			assertThat(consumer.identifyResponse().maxRdyCount()).isEqualTo(2500);
			consumer.send(NsqCommand.sub(topic, "ch"));
			assertThat(((Frame.Response) consumerFrames.next()).isOk()).isTrue();
			consumer.send(NsqCommand.rdy(10));
			byte[] body = ("payload over " + mode + " " + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8);
			producer.send(NsqCommand.pub(topic, body));
			producer.send(NsqCommand.mpub(topic, List.of("second".getBytes(), "third".getBytes())));
			Frame.Message first = (Frame.Message) consumerFrames.next();
			assertThat(first.body()).isEqualTo(body);
			assertThat(first.attempts()).isEqualTo(1);
			assertThat(new String(((Frame.Message) consumerFrames.next()).body())).isEqualTo("second");
			assertThat(new String(((Frame.Message) consumerFrames.next()).body())).isEqualTo("third");
			consumer.send(NsqCommand.fin(first.id()));
			consumer.send(NsqCommand.cls());
			assertThat(((Frame.Response) consumerFrames.next()).isCloseWait()).isTrue();
		}
	}

	@Test
	void tlsWithoutTrustedCertificateFailsTheHandshake() {
		NsqConfig config = NsqConfig.builder().connection((connection) -> connection.tlsV1(true)).build();
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> NsqConnection.open(address(this.cluster), config, new Recorder()))
			.withMessageContaining("TLS handshake")
			.withMessageContaining(address(this.cluster).toString());
	}

	@Test
	void tlsAskedOfAnNsqdWithoutTlsIsRefusedInsteadOfFallingBackToPlainText() {
		NsqConfig config = Mode.TLS.config();
		assertThatExceptionOfType(NsqConnectionException.class)
			.isThrownBy(() -> NsqConnection.open(address(this.authCluster), config, new Recorder()))
			.withMessageContaining("did not negotiate TLS");
	}

	@Test
	void authWithSecretExposesIdentityAndPermissions() throws Exception {
		NsqConfig config = NsqConfig.builder().connection((connection) -> connection.authSecret(SECRET)).build();
		Recorder frames = new Recorder();
		try (NsqConnection connection = NsqConnection.open(address(this.authCluster), config, frames)) {
			assertThat(connection.identifyResponse().authRequired()).isTrue();
			assertThat(connection.authResponse().identity()).isEqualTo("tester");
			assertThat(connection.authResponse().permissionCount()).isEqualTo(1);
			connection.send(NsqCommand.pub("auth_" + unique(), "secured".getBytes()));
			assertThat(((Frame.Response) frames.next()).isOk()).isTrue();
		}
	}

	@Test
	void authRequiredWithoutSecretFailsBeforeAnyCommand() {
		assertThatExceptionOfType(NsqAuthException.class)
			.isThrownBy(() -> NsqConnection.open(address(this.authCluster), NsqConfig.defaults(), new Recorder()))
			.withMessageContaining("requires AUTH")
			.withMessageContaining("no auth_secret is configured");
	}

	@Test
	void wrongSecretIsRefusedWithoutShowingIt() {
		NsqConfig config = NsqConfig.builder()
			.connection((connection) -> connection.authSecret("not-the-secret"))
			.build();
		assertThatExceptionOfType(NsqAuthException.class)
			.isThrownBy(() -> NsqConnection.open(address(this.authCluster), config, new Recorder()))
			.withMessageContaining("E_UNAUTHORIZED")
			.withMessageNotContaining("not-the-secret");
	}

	@Test
	void closeEndsTheReaderThread() throws Exception {
		Recorder frames = new Recorder();
		NsqConnection connection = NsqConnection.open(address(this.cluster), NsqConfig.defaults(), frames);
		String reader = "nsq-reader-" + connection.address();
		assertThat(threadNames()).contains(reader);
		connection.close();
		assertThat(frames.closed.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(threadNames()).doesNotContain(reader);
	}

	private static NsqAddress address(NsqCluster cluster) {
		return NsqAddress.parse(cluster.nsqdTcpAddress(0));
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	private static List<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
	}

	/** Records frames and the close of a connection. */
	static final class Recorder implements ConnectionHandler {

		private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

		final CompletableFuture<Throwable> closed = new CompletableFuture<>();

		Frame next() throws InterruptedException {
			Frame frame = this.frames.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("frame within 10s").isNotNull();
			return frame;
		}

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
			this.frames.add(message);
		}

		@Override
		public void onClose(NsqConnection connection, Throwable cause) {
			this.closed.complete(cause);
		}

	}

}
