package io.github.nsqspring.core.connection;

import java.util.Objects;

import io.github.nsqspring.core.NsqConfigException;

/**
 * A host and port, written {@code host:port} or, for IPv6, {@code [::1]:4150}.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port the port
 */
public record NsqAddress(String host, int port) {

	/**
	 * Create an address.
	 * @throws NsqConfigException when the host is empty or the port is out of range
	 */
	public NsqAddress {
		Objects.requireNonNull(host, "host");
		if (host.isEmpty()) {
			throw new NsqConfigException("invalid address: empty host");
		}
		if (port < 1 || port > 65535) {
			throw new NsqConfigException("invalid port " + port + " for host " + host + " (allowed: 1 to 65535)");
		}
	}

	/**
	 * Parse {@code host:port} or {@code [ipv6]:port}.
	 * @param address the address
	 * @return the parsed address
	 * @throws NsqConfigException naming the address when it has no valid port
	 */
	public static NsqAddress parse(String address) {
		Objects.requireNonNull(address, "address");
		String text = address.trim();
		int colon = text.lastIndexOf(':');
		if (colon <= 0 || colon == text.length() - 1) {
			throw new NsqConfigException("invalid address \"" + address + "\": expected host:port");
		}
		String host = text.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		else if (host.contains(":")) {
			throw new NsqConfigException("invalid address \"" + address + "\": write IPv6 hosts as [host]:port");
		}
		try {
			return new NsqAddress(host, Integer.parseInt(text.substring(colon + 1)));
		}
		catch (NumberFormatException ex) {
			throw new NsqConfigException("invalid address \"" + address + "\": port is not a number");
		}
	}

	/**
	 * Join a host and port, bracketing IPv6 literals.
	 * @param host the host
	 * @param port the port
	 * @return {@code host:port}
	 */
	public static String join(String host, int port) {
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	@Override
	public String toString() {
		return join(this.host, this.port);
	}

}
