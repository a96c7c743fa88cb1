package io.github.nsqspring.core.connection;

import java.io.EOFException;
import java.net.ConnectException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.NsqProtocolException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.protocol.NsqErrorCode;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectFailuresTests {

	@Test
	void configurationThatCanNeverWorkIsPermanentAndItsMessageIsTheFix() {
		NsqConfigException snappy = new NsqConfigException("snappy is enabled but snappy-java is not on the classpath");
		assertThat(ConnectFailures.isPermanent(snappy)).isTrue();
		assertThat(ConnectFailures.remedy(snappy)).contains("snappy-java");
		assertThat(ConnectFailures.isPermanent(new NsqInvalidNameException("invalid topic name"))).isTrue();
	}

	@Test
	void theSnappyErrorNamesTheDependencyInTheVersionTheBuildManages() {
		String version = org.xerial.snappy.SnappyFramedOutputStream.class.getPackage().getImplementationVersion();
		assertThat(version).isNotBlank();
		assertThat(Compression.SNAPPY_JAVA).isEqualTo("org.xerial.snappy:snappy-java:" + version);
	}

	@Test
	void authenticationRefusalsArePermanentButAnAuthServerErrorInsideNsqdIsNot() {
		assertThat(ConnectFailures.remedy(new NsqAuthException(NsqErrorCode.E_UNAUTHORIZED, "E_UNAUTHORIZED no")))
			.contains("auth server");
		assertThat(ConnectFailures.isPermanent(new NsqAuthException(NsqErrorCode.E_AUTH_FAILED, "E_AUTH_FAILED")))
			.isTrue();
		assertThat(ConnectFailures.remedy(NsqAuthException.secretRequired("127.0.0.1:4150"))).contains("auth_secret");
		assertThat(ConnectFailures.isPermanent(new NsqAuthException(NsqErrorCode.E_AUTH_ERROR, "E_AUTH_ERROR")))
			.isFalse();
	}

	@Test
	void protocolErrorsOfSettingsAndNamesArePermanentOthersAreNot() {
		assertThat(permanent("E_BAD_TOPIC SUB topic name \"a b\" is not valid")).isTrue();
		assertThat(permanent("E_BAD_CHANNEL SUB channel name \"a b\" is not valid")).isTrue();
		assertThat(permanent("E_BAD_BODY IDENTIFY msg timeout (500) is invalid")).isTrue();
		assertThat(permanent("E_IDENTIFY_FAILED cannot enable both deflate and snappy compression")).isTrue();
		assertThat(permanent("E_INVALID cannot SUB with heartbeats disabled")).isTrue();
		assertThat(permanent("E_SUB_FAILED SUB failed channel is exiting")).isFalse();
		assertThat(permanent("E_SOMETHING_NEW that this client does not know")).isFalse();
	}

	@Test
	void tlsHandshakesThatFailOnCertificatesArePermanentLostOnesAreNot() {
		SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
		untrusted.initCause(new CertificateException("unable to find valid certification path"));
		assertThat(ConnectFailures.remedy(new NsqConnectionException("TLS handshake with nsqd failed", untrusted)))
			.contains("trust");
		assertThat(ConnectFailures.isPermanent(new NsqConnectionException("TLS handshake with nsqd failed",
				new SSLHandshakeException("Received fatal alert: bad_certificate"))))
			.isTrue();
		SSLHandshakeException lost = new SSLHandshakeException("Remote host terminated the handshake");
		lost.initCause(new EOFException("SSL peer shut down incorrectly"));
		assertThat(ConnectFailures.isPermanent(new NsqConnectionException("TLS handshake with nsqd failed", lost)))
			.isFalse();
	}

	@Test
	void anNsqdThatIsDownOrSlowIsTransient() {
		assertThat(ConnectFailures.isPermanent(new NsqConnectionException("cannot connect to nsqd 127.0.0.1:4150",
				new ConnectException("Connection refused"))))
			.isFalse();
		assertThat(ConnectFailures.isPermanent(new NsqTimeoutException("timed out connecting"))).isFalse();
		assertThat(ConnectFailures.remedy(new NsqTimeoutException("timed out connecting"))).isNull();
	}

	private static boolean permanent(String errorFrame) {
		NsqProtocolException failure = NsqProtocolException.fromErrorFrame(errorFrame);
		return ConnectFailures.isPermanent(failure);
	}

}
