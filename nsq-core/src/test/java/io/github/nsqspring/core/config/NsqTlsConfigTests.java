package io.github.nsqspring.core.config;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.github.nsqspring.core.NsqConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class NsqTlsConfigTests {

	@TempDir
	Path temp;

	private static Path resource(String name) throws URISyntaxException {
		return Path.of(NsqTlsConfigTests.class.getResource("/tls/" + name).toURI());
	}

	@Test
	void minVersionAcceptsGoNsqAndJsseNames() {
		String[][] cases = { { "tls1.0", "TLSv1" }, { "TLSv1", "TLSv1" }, { "TLSv1.0", "TLSv1" },
				{ "tls1.1", "TLSv1.1" }, { "TLSv1.1", "TLSv1.1" }, { "tls1.2", "TLSv1.2" }, { "TLSv1.2", "TLSv1.2" },
				{ "tls1.3", "TLSv1.3" }, { "TLSv1.3", "TLSv1.3" } };
		for (String[] c : cases) {
			assertThat(NsqTlsConfig.builder().minVersion(c[0]).build().getMinVersion()).as(c[0]).isEqualTo(c[1]);
		}
		assertThat(NsqTlsConfig.DEFAULT.getMinVersion()).isEqualTo("TLSv1.2");
	}

	@Test
	void unsupportedMinVersionsAreRejected() {
		// go-nsq also knows ssl3.0, which the JDK no longer offers
		for (String version : new String[] { "ssl3.0", "tls1.4", "TLS1.2", "" }) {
			assertThatExceptionOfType(NsqConfigException.class).as(version)
				.isThrownBy(() -> NsqTlsConfig.builder().minVersion(version))
				.withMessageContaining("tls_min_version")
				.withMessageContaining("\"" + version + "\"")
				.withMessageContaining("tls1.0, tls1.1, tls1.2, tls1.3");
		}
	}

	@Test
	void enabledProtocolsStartAtTheMinimum() {
		String[] supported = { "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" };
		assertThat(NsqTlsConfig.DEFAULT.enabledProtocols(supported)).containsExactly("TLSv1.2", "TLSv1.3");
		assertThat(NsqTlsConfig.builder().minVersion("tls1.0").build().enabledProtocols(supported))
			.containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
		assertThat(NsqTlsConfig.builder().minVersion("tls1.3").build().enabledProtocols(supported))
			.containsExactly("TLSv1.3");
	}

	@Test
	void certificateAndKeyGoTogether() {
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder().certFile(Path.of("/c.pem")).build())
			.withMessageContaining("tls_cert and tls_key must be set together")
			.withMessageContaining("tls_key=null");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder().keyFile(Path.of("/k.pem")).build())
			.withMessageContaining("tls_cert=null");
		assertThat(NsqTlsConfig.builder().clientCertificate(Path.of("/c.pem"), Path.of("/k.pem")).build()).isNotNull();
	}

	@Test
	void insecureSkipVerifyBuildsAContext() {
		NsqTlsConfig config = NsqTlsConfig.builder().insecureSkipVerify(true).build();
		assertThat(config.isInsecureSkipVerify()).isTrue();
		assertThat(config.isVerifyHostname()).isFalse();
		SSLContext context = config.createSslContext();
		SSLEngine engine = context.createSSLEngine("nsqd.example", 4150);
		engine.setUseClientMode(true);
		assertThat(engine.getSupportedProtocols()).contains("TLSv1.2");
	}

	@Test
	void defaultTrustBuildsAContext() {
		assertThat(NsqTlsConfig.DEFAULT.createSslContext()).isNotNull();
		assertThat(NsqTlsConfig.DEFAULT.isVerifyHostname()).isTrue();
		assertThat(NsqTlsConfig.builder().verifyHostname(false).build().isVerifyHostname()).isFalse();
	}

	@Test
	void givenContextIsUsedAsIs() throws GeneralSecurityException {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, null, null);
		assertThat(NsqTlsConfig.builder().sslContext(context).build().createSslContext()).isSameAs(context);
	}

	@Test
	void pemCertificateKeyAndRootCa() throws URISyntaxException {
		NsqTlsConfig config = NsqTlsConfig.builder()
			.rootCaFile(resource("client-cert.pem"))
			.clientCertificate(resource("client-cert.pem"), resource("client-key.pem"))
			.build();
		assertThat(config.createSslContext()).isNotNull();
		NsqConfig viaNames = NsqConfig.builder()
			.set("tls_root_ca_file", resource("client-cert.pem").toString())
			.set("tls_cert", resource("client-cert.pem").toString())
			.set("tls_key", resource("client-key.pem").toString())
			.build();
		assertThat(viaNames.connection().getTlsConfig().createSslContext()).isNotNull();
	}

	@Test
	void missingFilesAreNamed() {
		Path missing = this.temp.resolve("missing-ca.pem");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder().rootCaFile(missing).build().createSslContext())
			.withMessageContaining(missing.toString());
		Path missingKey = this.temp.resolve("missing-key.pem");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder()
				.clientCertificate(resource("client-cert.pem"), missingKey)
				.build()
				.createSslContext())
			.withMessageContaining(missingKey.toString());
		Path missingStore = this.temp.resolve("missing.p12");
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder()
				.keyStore(missingStore, "PKCS12", "hunter2".toCharArray(), null)
				.build()
				.createSslContext())
			.withMessageContaining(missingStore.toString())
			.withMessageNotContaining("hunter2");
	}

	@Test
	void wrongStorePasswordNamesTheFileButNotThePassword() throws Exception {
		Path store = this.temp.resolve("trust.p12");
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		keyStore.load(null, null);
		try (OutputStream out = Files.newOutputStream(store)) {
			keyStore.store(out, "right-password".toCharArray());
		}
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder()
				.trustStore(store, "PKCS12", "wrong-password".toCharArray())
				.build()
				.createSslContext())
			.withMessageContaining(store.toString())
			.withMessageContaining("trust store")
			.withMessageNotContaining("wrong-password")
			.withMessageNotContaining("right-password");
	}

	@Test
	void unreadablePemFilesAreNamed() throws IOException, URISyntaxException {
		Path garbage = this.temp.resolve("garbage.pem");
		Files.writeString(garbage, "this is not a certificate", StandardCharsets.US_ASCII);
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder().rootCaFile(garbage).build().createSslContext())
			.withMessageContaining("tls_root_ca_file")
			.withMessageContaining(garbage.toString());
		Path empty = this.temp.resolve("empty.pem");
		Files.writeString(empty, "", StandardCharsets.US_ASCII);
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder().rootCaFile(empty).build().createSslContext())
			.withMessageContaining(empty.toString());
		assertThatExceptionOfType(NsqConfigException.class)
			.isThrownBy(() -> NsqTlsConfig.builder()
				.clientCertificate(resource("client-cert.pem"), resource("client-cert.pem"))
				.build()
				.createSslContext())
			.withMessageContaining("tls_key")
			.withMessageContaining("PKCS#8");
	}

	@Test
	void toStringNeverShowsPasswords() {
		NsqTlsConfig config = NsqTlsConfig.builder()
			.keyStore(Path.of("/keys/client.p12"), "PKCS12", "store-pass".toCharArray(), "key-pass".toCharArray())
			.trustStore(Path.of("/keys/trust.jks"), "JKS", "trust-pass".toCharArray())
			.build();
		assertThat(config.toString()).doesNotContain("store-pass")
			.doesNotContain("key-pass")
			.doesNotContain("trust-pass")
			.contains("client.p12")
			.contains("trust.jks (JKS)");
		assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
	}

	@Test
	void passwordsAreCopied() {
		char[] password = "store-pass".toCharArray();
		NsqTlsConfig.Builder builder = NsqTlsConfig.builder()
			.keyStore(Path.of("/keys/client.p12"), "PKCS12", password, null);
		NsqTlsConfig config = builder.build();
		java.util.Arrays.fill(password, 'x');
		assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
		assertThat(config).extracting("keyStorePassword").isEqualTo("store-pass".toCharArray());
	}

}
