package io.github.nsqspring.test.auth;

/**
 * What nsqd tells its auth server about a client that sent AUTH.
 *
 * @param remoteIp the client's IP address
 * @param tls whether the connection negotiated TLS
 * @param secret the secret the client sent (never log it)
 * @param commonName the TLS client certificate's common name, or "" when none
 */
public record AuthRequest(String remoteIp, boolean tls, String secret, String commonName) {

	@Override
	public String toString() {
		return "AuthRequest[remoteIp=" + this.remoteIp + ", tls=" + this.tls + ", commonName=" + this.commonName
				+ ", secret=<hidden>]";
	}

}
