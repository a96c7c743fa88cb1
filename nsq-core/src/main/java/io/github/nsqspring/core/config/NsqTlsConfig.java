package io.github.nsqspring.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.github.nsqspring.core.NsqConfigException;

/**
 * TLS settings used when {@code tls_v1} is negotiated with nsqd. Immutable; build with
 * {@link #builder()}.
 * <p>
 * Trust comes from, in order: a given {@link SSLContext} (used as is, e.g. from a Spring
 * Boot SSL bundle); otherwise a trust store or a PEM CA file ({@code tls_root_ca_file});
 * otherwise the JVM's default trust. A client certificate comes from a key store or a PEM
 * certificate and PKCS#8 key ({@code tls_cert}, {@code tls_key}).
 * {@link Builder#insecureSkipVerify(boolean)} disables every check and is meant for tests
 * only.
 * <p>
 * The host name of the nsqd address is sent as SNI and, unless disabled, verified against
 * the server certificate. {@link #toString()} never shows passwords.
 */
public final class NsqTlsConfig {

	/** TLS settings with the JVM's default trust and no client certificate. */
	public static final NsqTlsConfig DEFAULT = builder().build();

	private final SSLContext sslContext;

	private final Path trustStore;

	private final String trustStoreType;

	private final char[] trustStorePassword;

	private final Path rootCaFile;

	private final Path keyStore;

	private final String keyStoreType;

	private final char[] keyStorePassword;

	private final char[] keyPassword;

	private final Path certFile;

	private final Path keyFile;

	private final boolean insecureSkipVerify;

	private final boolean verifyHostname;

	private final String minVersion;

	private NsqTlsConfig(Builder builder) {
		this.sslContext = builder.sslContext;
		this.trustStore = builder.trustStore;
		this.trustStoreType = builder.trustStoreType;
		this.trustStorePassword = copy(builder.trustStorePassword);
		this.rootCaFile = builder.rootCaFile;
		this.keyStore = builder.keyStore;
		this.keyStoreType = builder.keyStoreType;
		this.keyStorePassword = copy(builder.keyStorePassword);
		this.keyPassword = copy(builder.keyPassword);
		this.certFile = builder.certFile;
		this.keyFile = builder.keyFile;
		this.insecureSkipVerify = builder.insecureSkipVerify;
		this.verifyHostname = builder.verifyHostname;
		this.minVersion = builder.minVersion;
	}

	/**
	 * A builder with nothing set: the JVM's default trust store, no client certificate.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder holding these settings, to derive changed copies.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.sslContext = this.sslContext;
		builder.trustStore = this.trustStore;
		builder.trustStoreType = this.trustStoreType;
		builder.trustStorePassword = copy(this.trustStorePassword);
		builder.rootCaFile = this.rootCaFile;
		builder.keyStore = this.keyStore;
		builder.keyStoreType = this.keyStoreType;
		builder.keyStorePassword = copy(this.keyStorePassword);
		builder.keyPassword = copy(this.keyPassword);
		builder.certFile = this.certFile;
		builder.keyFile = this.keyFile;
		builder.insecureSkipVerify = this.insecureSkipVerify;
		builder.verifyHostname = this.verifyHostname;
		builder.minVersion = this.minVersion;
		return builder;
	}

	/**
	 * Whether certificate and host name checks are disabled.
	 * @return {@code true} only when explicitly configured (tests)
	 */
	public boolean isInsecureSkipVerify() {
		return this.insecureSkipVerify;
	}

	/**
	 * Whether the server certificate must match the nsqd host name.
	 * @return {@code true} by default; always {@code false} with insecure skip verify
	 */
	public boolean isVerifyHostname() {
		return this.verifyHostname && !this.insecureSkipVerify;
	}

	/**
	 * The lowest TLS protocol version offered.
	 * @return a JSSE protocol name, {@code TLSv1.2} by default
	 */
	public String getMinVersion() {
		return this.minVersion;
	}

	/**
	 * The protocol versions to enable on a socket: {@link #getMinVersion()} and newer
	 * ones the JVM supports.
	 * @param supported the protocols the socket supports
	 * @return the protocols to enable
	 */
	public String[] enabledProtocols(String[] supported) {
		List<String> order = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
		int min = order.indexOf(this.minVersion);
		List<String> enabled = new ArrayList<>();
		for (String protocol : supported) {
			int index = order.indexOf(protocol);
			if (index >= 0 && index >= min) {
				enabled.add(protocol);
			}
		}
		return enabled.toArray(new String[0]);
	}

	/**
	 * Build the SSL context these settings describe.
	 * @return the context
	 * @throws NsqConfigException when a store or PEM file cannot be read (the message
	 * names the file, never a password)
	 */
	public SSLContext createSslContext() {
		if (this.sslContext != null) {
			return this.sslContext;
		}
		try {
			TrustManager[] trustManagers = trustManagers();
			KeyManager[] keyManagers = keyManagers();
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers, trustManagers, new SecureRandom());
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new NsqConfigException("cannot set up TLS: " + ex.getMessage(), ex);
		}
	}

	private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
		if (this.insecureSkipVerify) {
			return new TrustManager[] { new TrustAllManager() };
		}
		KeyStore store = null;
		if (this.trustStore != null) {
			store = loadStore(this.trustStore, this.trustStoreType, this.trustStorePassword, "trust store");
		}
		else if (this.rootCaFile != null) {
			store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			int i = 0;
			for (Certificate certificate : readCertificates(this.rootCaFile, "tls_root_ca_file")) {
				store.setCertificateEntry("ca-" + (i++), certificate);
			}
		}
		if (store == null) {
			return null;
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory.getTrustManagers();
	}

	private KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
		KeyStore store;
		char[] password;
		if (this.keyStore != null) {
			store = loadStore(this.keyStore, this.keyStoreType, this.keyStorePassword, "key store");
			password = (this.keyPassword != null) ? this.keyPassword : this.keyStorePassword;
		}
		else if (this.certFile != null && this.keyFile != null) {
			store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			password = new char[0];
			Collection<? extends Certificate> chain = readCertificates(this.certFile, "tls_cert");
			store.setKeyEntry("client", readPrivateKey(this.keyFile), password, chain.toArray(new Certificate[0]));
		}
		else {
			return null;
		}
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, password);
		return factory.getKeyManagers();
	}

	private static KeyStore loadStore(Path path, String type, char[] password, String what)
			throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance(type);
		try (InputStream in = Files.newInputStream(path)) {
			store.load(in, password);
		}
		catch (IOException ex) {
			throw new IOException("cannot read " + what + " " + path + " (wrong file, type " + type + " or password): "
					+ ex.getClass().getSimpleName(), ex);
		}
		return store;
	}

	private static Collection<? extends Certificate> readCertificates(Path file, String option)
			throws GeneralSecurityException, IOException {
		Collection<? extends Certificate> certificates;
		try (InputStream in = Files.newInputStream(file)) {
			certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
		}
		catch (java.security.cert.CertificateException ex) {
			throw new IOException(option + " " + file + " is not a PEM or DER X.509 certificate: " + ex.getMessage(),
					ex);
		}
		if (certificates.isEmpty()) {
			throw new IOException(option + " " + file + " holds no certificate");
		}
		return certificates;
	}

	private static PrivateKey readPrivateKey(Path file) throws GeneralSecurityException, IOException {
		String pem = Files.readString(file, StandardCharsets.US_ASCII);
		String begin = "-----BEGIN PRIVATE KEY-----";
		int start = pem.indexOf(begin);
		int end = pem.indexOf("-----END PRIVATE KEY-----");
		if (start < 0 || end < 0) {
			throw new IOException("tls_key " + file + " is not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY)");
		}
		byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
		PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
		GeneralSecurityException last = null;
		for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
			try {
				return KeyFactory.getInstance(algorithm).generatePrivate(spec);
			}
			catch (GeneralSecurityException ex) {
				last = ex;
			}
		}
		throw new IOException("tls_key " + file + " is not an RSA, EC or Ed25519 key", last);
	}

	private static char[] copy(char[] value) {
		return (value != null) ? value.clone() : null;
	}

	@Override
	public String toString() {
		StringBuilder out = new StringBuilder("NsqTlsConfig[");
		if (this.sslContext != null) {
			out.append("sslContext=").append(this.sslContext.getProtocol()).append(", ");
		}
		if (this.trustStore != null) {
			out.append("trustStore=").append(this.trustStore).append(" (").append(this.trustStoreType).append("), ");
		}
		if (this.rootCaFile != null) {
			out.append("rootCaFile=").append(this.rootCaFile).append(", ");
		}
		if (this.keyStore != null) {
			out.append("keyStore=").append(this.keyStore).append(" (").append(this.keyStoreType).append("), ");
		}
		if (this.certFile != null) {
			out.append("certFile=").append(this.certFile).append(", keyFile=").append(this.keyFile).append(", ");
		}
		return out.append("insecureSkipVerify=")
			.append(this.insecureSkipVerify)
			.append(", verifyHostname=")
			.append(this.verifyHostname)
			.append(", minVersion=")
			.append(this.minVersion)
			.append(']')
			.toString();
	}

	/**
	 * Trusts every certificate: only for {@link Builder#insecureSkipVerify(boolean)}.
	 */
	private static final class TrustAllManager implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

	/**
	 * Builder of {@link NsqTlsConfig}.
	 */
	public static final class Builder {

		private SSLContext sslContext;

		private Path trustStore;

		private String trustStoreType = "PKCS12";

		private char[] trustStorePassword;

		private Path rootCaFile;

		private Path keyStore;

		private String keyStoreType = "PKCS12";

		private char[] keyStorePassword;

		private char[] keyPassword;

		private Path certFile;

		private Path keyFile;

		private boolean insecureSkipVerify;

		private boolean verifyHostname = true;

		private String minVersion = "TLSv1.2";

		private Builder() {
		}

		/**
		 * Use this context as is (trust, keys and protocols); other trust and key
		 * settings are ignored.
		 * @param sslContext the context, or {@code null} to build one
		 * @return this builder
		 */
		public Builder sslContext(SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Trust the certificates of this key store.
		 * @param path the store file
		 * @param type the store type, e.g. {@code PKCS12} or {@code JKS}
		 * @param password the store password, may be {@code null}
		 * @return this builder
		 */
		public Builder trustStore(Path path, String type, char[] password) {
			this.trustStore = path;
			this.trustStoreType = Objects.requireNonNull(type, "type");
			this.trustStorePassword = copy(password);
			return this;
		}

		/**
		 * Trust the CA certificates of a PEM file (go-nsq {@code tls_root_ca_file}).
		 * @param pemFile the file
		 * @return this builder
		 */
		public Builder rootCaFile(Path pemFile) {
			this.rootCaFile = pemFile;
			return this;
		}

		/**
		 * Present the client certificate of this key store.
		 * @param path the store file
		 * @param type the store type
		 * @param storePassword the store password
		 * @param keyPassword the key password, {@code null} to use the store password
		 * @return this builder
		 */
		public Builder keyStore(Path path, String type, char[] storePassword, char[] keyPassword) {
			this.keyStore = path;
			this.keyStoreType = Objects.requireNonNull(type, "type");
			this.keyStorePassword = copy(storePassword);
			this.keyPassword = copy(keyPassword);
			return this;
		}

		/**
		 * Present a client certificate from PEM files (go-nsq {@code tls_cert} and
		 * {@code tls_key}); the key must be unencrypted PKCS#8.
		 * @param certPem the certificate chain file
		 * @param keyPem the private key file
		 * @return this builder
		 */
		public Builder clientCertificate(Path certPem, Path keyPem) {
			this.certFile = certPem;
			this.keyFile = keyPem;
			return this;
		}

		/**
		 * Set the PEM client certificate file alone (go-nsq {@code tls_cert}).
		 * @param certPem the file
		 * @return this builder
		 */
		public Builder certFile(Path certPem) {
			this.certFile = certPem;
			return this;
		}

		/**
		 * Set the PEM client key file alone (go-nsq {@code tls_key}).
		 * @param keyPem the file
		 * @return this builder
		 */
		public Builder keyFile(Path keyPem) {
			this.keyFile = keyPem;
			return this;
		}

		/**
		 * Accept any server certificate and host name (go-nsq
		 * {@code tls_insecure_skip_verify}). For tests only.
		 * @param insecureSkipVerify whether to skip verification
		 * @return this builder
		 */
		public Builder insecureSkipVerify(boolean insecureSkipVerify) {
			this.insecureSkipVerify = insecureSkipVerify;
			return this;
		}

		/**
		 * Whether to check that the server certificate matches the nsqd host name.
		 * @param verifyHostname {@code true} by default
		 * @return this builder
		 */
		public Builder verifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
			return this;
		}

		/**
		 * The lowest protocol version offered (go-nsq {@code tls_min_version}). Accepts
		 * JSSE names ({@code TLSv1.2}) and go-nsq names ({@code tls1.2}).
		 * @param minVersion the version
		 * @return this builder
		 */
		public Builder minVersion(String minVersion) {
			this.minVersion = switch (minVersion) {
				case "tls1.0", "TLSv1", "TLSv1.0" -> "TLSv1";
				case "tls1.1", "TLSv1.1" -> "TLSv1.1";
				case "tls1.2", "TLSv1.2" -> "TLSv1.2";
				case "tls1.3", "TLSv1.3" -> "TLSv1.3";
				default -> throw new NsqConfigException("invalid value for tls_min_version: \"" + minVersion
						+ "\" (allowed: tls1.0, tls1.1, tls1.2, tls1.3)");
			};
			return this;
		}

		/**
		 * Build the configuration.
		 * @return the configuration
		 * @throws NsqConfigException when settings contradict each other (for example a
		 * certificate without its key)
		 */
		public NsqTlsConfig build() {
			if ((this.certFile == null) != (this.keyFile == null)) {
				throw new NsqConfigException("tls_cert and tls_key must be set together (tls_cert=" + this.certFile
						+ ", tls_key=" + this.keyFile + ")");
			}
			return new NsqTlsConfig(this);
		}

	}

}
