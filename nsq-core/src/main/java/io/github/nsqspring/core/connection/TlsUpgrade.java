package io.github.nsqspring.core.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.github.nsqspring.core.config.NsqTlsConfig;

/**
 * Turns the open TCP connection into a TLS client connection after nsqd agreed to
 * {@code tls_v1}, sending the host name as SNI and verifying it unless disabled.
 */
final class TlsUpgrade {

	private TlsUpgrade() {
	}

	static SSLSocket upgrade(Socket socket, NsqAddress address, NsqTlsConfig tls) throws IOException {
		SSLSocket ssl = (SSLSocket) tls.createSslContext()
			.getSocketFactory()
			.createSocket(socket, address.host(), address.port(), true);
		ssl.setUseClientMode(true);
		SSLParameters parameters = ssl.getSSLParameters();
		parameters.setProtocols(tls.enabledProtocols(ssl.getSupportedProtocols()));
		if (!isIpLiteral(address.host())) {
			parameters.setServerNames(List.of(new SNIHostName(address.host())));
		}
		if (tls.isVerifyHostname()) {
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
		}
		ssl.setSSLParameters(parameters);
		ssl.startHandshake();
		return ssl;
	}

	private static boolean isIpLiteral(String host) {
		if (host.contains(":")) {
			return true;
		}
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			if (c != '.' && (c < '0' || c > '9')) {
				return false;
			}
		}
		try {
			InetAddress.getByName(host);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
