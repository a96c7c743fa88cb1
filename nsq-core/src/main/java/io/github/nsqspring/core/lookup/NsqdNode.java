package io.github.nsqspring.core.lookup;

import io.github.nsqspring.core.connection.NsqAddress;

/**
 * An nsqd as nsqlookupd lists it (a "producer" in nsqlookupd's terms).
 *
 * @param broadcastAddress the address nsqd asks clients to use
 * @param hostname nsqd's host name
 * @param tcpPort nsqd's TCP port
 * @param httpPort nsqd's HTTP port
 * @param version nsqd's version
 */
public record NsqdNode(String broadcastAddress, String hostname, int tcpPort, int httpPort, String version) {

	/**
	 * Where to connect: {@code broadcast_address:tcp_port}, IPv6 bracketed.
	 * @return the TCP address as text
	 */
	public String tcpAddress() {
		return NsqAddress.join(this.broadcastAddress, this.tcpPort);
	}

	/**
	 * nsqd's HTTP address: {@code broadcast_address:http_port}, IPv6 bracketed.
	 * @return the HTTP address as text
	 */
	public String httpAddress() {
		return NsqAddress.join(this.broadcastAddress, this.httpPort);
	}

}
