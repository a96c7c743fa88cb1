package io.github.nsqspring.core.connection;

import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import io.github.nsqspring.core.NsqAuthException;
import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.NsqProtocolException;

/**
 * Tells the failures of opening and subscribing a connection to nsqd that retrying can
 * never heal (permanent: the same configuration fails the same way every time) from those
 * it can (transient). A client keeps retrying transient failures with backoff and stops
 * retrying a permanent one, reporting it with {@link #remedy(Throwable)}.
 * <p>
 * Permanent:
 * <ul>
 * <li>configuration that can never work ({@link NsqConfigException}): snappy without
 * snappy-java on the classpath, TLS trust or key material that cannot be read;</li>
 * <li>a TLS handshake that fails on certificates: nsqd's certificate is not trusted or
 * does not match its host name, or nsqd refuses the client's certificate;</li>
 * <li>a topic or channel name nsqd rejects ({@code E_BAD_TOPIC}, {@code E_BAD_CHANNEL},
 * {@link NsqInvalidNameException});</li>
 * <li>authentication: no {@code auth_secret} for an nsqd that requires one,
 * {@code E_AUTH_FAILED}, {@code E_UNAUTHORIZED};</li>
 * <li>an IDENTIFY setting nsqd rejects as invalid ({@code E_BAD_BODY},
 * {@code E_IDENTIFY_FAILED}, {@code E_INVALID}, {@code E_BAD_PROTOCOL}).</li>
 * </ul>
 * Everything else is transient: connection refused or reset, timeouts, nsqd shutting
 * down, {@code E_SUB_FAILED} (channel being deleted, too many consumers),
 * {@code E_AUTH_ERROR} (nsqd failed internally), an nsqd that does not negotiate TLS
 * (nsqd's own configuration may be fixed), unknown error codes.
 */
public final class ConnectFailures {

	private ConnectFailures() {
	}

	/**
	 * Whether retrying with the same configuration can never succeed.
	 * @param failure what opening or subscribing threw, or the cause nsqd closed the new
	 * connection with
	 * @return {@code true} for a permanent failure
	 */
	public static boolean isPermanent(Throwable failure) {
		return remedy(failure) != null;
	}

	/**
	 * What to change so that the connection can succeed.
	 * @param failure the failure
	 * @return the fix, one sentence, or {@code null} when the failure is transient
	 */
	public static String remedy(Throwable failure) {
		if (failure instanceof NsqConfigException) {
			return "fix the configuration: " + failure.getMessage();
		}
		if (failure instanceof NsqInvalidNameException) {
			return "use a topic and channel name nsqd accepts";
		}
		if (failure instanceof NsqAuthException auth) {
			return switch (auth.code()) {
				case E_AUTH_FIRST -> "configure auth_secret: nsqd requires authentication";
				case E_AUTH_FAILED ->
					"check auth_secret and nsqd's auth server: nsqd reports that authentication failed";
				case E_UNAUTHORIZED ->
					"grant the identity of auth_secret this topic and channel on nsqd's auth server, "
							+ "or use a secret that has them";
				default -> null;
			};
		}
		if (failure instanceof NsqProtocolException protocol) {
			return switch (protocol.code()) {
				case E_BAD_TOPIC, E_BAD_CHANNEL -> "use a topic and channel name nsqd accepts";
				case E_BAD_BODY, E_IDENTIFY_FAILED, E_INVALID, E_BAD_PROTOCOL ->
					"change the setting nsqd rejects (or nsqd's limit for it)";
				default -> null;
			};
		}
		if (isCertificateFailure(failure)) {
			return "fix the TLS trust and key material (tls_root_ca_file or trust store, tls_cert and tls_key or "
					+ "key store) or the host name verification, so that nsqd and the client accept each other's "
					+ "certificates";
		}
		return null;
	}

	/**
	 * A TLS handshake that failed on certificates, not because the connection was lost in
	 * the middle of it.
	 */
	private static boolean isCertificateFailure(Throwable failure) {
		boolean handshake = false;
		for (Throwable current = failure; current != null; current = next(current)) {
			if (current instanceof CertificateException) {
				return true;
			}
			if (current instanceof EOFException || current instanceof SocketException) {
				return false;
			}
			if (current instanceof SSLHandshakeException) {
				handshake = true;
			}
		}
		return handshake;
	}

	private static Throwable next(Throwable current) {
		Throwable cause = current.getCause();
		return (cause != current) ? cause : null;
	}

}
