package io.github.nsqspring.test.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material shipped with nsq-test, <strong>for tests only</strong>: its private
 * key is public. A CA ({@code CN=nsq-test CA (test only)}) signed one server certificate
 * for {@code CN=localhost} with subject alternative names {@code DNS:localhost} and
 * {@code IP:127.0.0.1}, valid for about 100 years.
 * <p>
 * Java clients trust it through {@link #clientSslContext()} or the PKCS12
 * {@link #truststorePath() truststore} (password {@value #PASSWORD}); Go clients and real
 * nsqd use the PEM files ({@link #caPemPath()}, {@link #serverCertPemPath()},
 * {@link #serverKeyPemPath()}).
 */
public final class TestCertificates {

	/** Password of both PKCS12 stores. Test-only, deliberately public. */
	public static final String PASSWORD = "nsq-test";

	private static final String BASE = "/io/github/nsqspring/test/tls/";

	private static Path directory;

	private TestCertificates() {
	}

	/**
	 * An {@link SSLContext} for servers, holding the test server key and certificate.
	 * @return a new context
	 * @throws IllegalStateException when the resources cannot be loaded
	 */
	public static SSLContext serverSslContext() {
		try {
			KeyStore keyStore = load("server-keystore.p12");
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(keyStore, PASSWORD.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot load the nsq-test server keystore", ex);
		}
	}

	/**
	 * An {@link SSLContext} for clients that trusts only the test CA.
	 * @return a new context
	 * @throws IllegalStateException when the resources cannot be loaded
	 */
	public static SSLContext clientSslContext() {
		try {
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(truststore());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, tmf.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot load the nsq-test truststore", ex);
		}
	}

	/**
	 * The truststore holding the test CA.
	 * @return a loaded PKCS12 key store
	 * @throws IOException when it cannot be read
	 * @throws GeneralSecurityException when it cannot be decoded
	 */
	public static KeyStore truststore() throws IOException, GeneralSecurityException {
		return load("truststore.p12");
	}

	/**
	 * @return a file holding the test CA certificate (PEM)
	 */
	public static Path caPemPath() {
		return file("ca.pem");
	}

	/**
	 * @return a file holding the server certificate (PEM), for {@code nsqd --tls-cert}
	 */
	public static Path serverCertPemPath() {
		return file("server-cert.pem");
	}

	/**
	 * @return a file holding the server private key (PEM), for {@code nsqd --tls-key}
	 */
	public static Path serverKeyPemPath() {
		return file("server-key.pem");
	}

	/**
	 * @return a file holding the PKCS12 server keystore (password {@value #PASSWORD})
	 */
	public static Path serverKeystorePath() {
		return file("server-keystore.p12");
	}

	/**
	 * @return a file holding the PKCS12 truststore (password {@value #PASSWORD})
	 */
	public static Path truststorePath() {
		return file("truststore.p12");
	}

	private static KeyStore load(String name) throws IOException, GeneralSecurityException {
		try (InputStream in = open(name)) {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(in, PASSWORD.toCharArray());
			return keyStore;
		}
	}

	private static InputStream open(String name) throws IOException {
		InputStream in = TestCertificates.class.getResourceAsStream(BASE + name);
		if (in == null) {
			throw new IOException("missing resource " + BASE + name);
		}
		return in;
	}

	/** Resources may live in a jar; processes such as nsqd need real files. */
	private static synchronized Path file(String name) {
		try {
			if (directory == null) {
				directory = Files.createTempDirectory("nsq-test-tls");
				directory.toFile().deleteOnExit();
			}
			Path target = directory.resolve(name);
			if (!Files.exists(target)) {
				try (InputStream in = open(name)) {
					Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				}
				target.toFile().deleteOnExit();
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot extract " + name, ex);
		}
	}

}
