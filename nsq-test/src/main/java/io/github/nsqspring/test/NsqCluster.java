package io.github.nsqspring.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running set of nsqd nodes and an optional nsqlookupd on loopback, for tests.
 * Implemented by {@link EmbeddedNsqCluster} (in the JVM) and {@code ProcessNsqCluster}
 * (real binaries), so that one test can run against both.
 * <p>
 * Nodes are numbered from 0. Addresses are {@code 127.0.0.1:<port>}; a node keeps its
 * ports across {@link #stopNode(int)} and {@link #startNode(int)}.
 */
public interface NsqCluster extends AutoCloseable {

	/** Spring property holding the nsqd TCP addresses, comma separated. */
	String NSQD_ADDRESSES_PROPERTY = "nsq.nsqd.addresses";

	/** Spring property holding the nsqd HTTP addresses, comma separated. */
	String NSQD_HTTP_ADDRESSES_PROPERTY = "nsq.nsqd.http-addresses";

	/** Spring property holding the nsqlookupd HTTP address. */
	String LOOKUPD_ADDRESSES_PROPERTY = "nsq.lookupd.addresses";

	/**
	 * @return the number of nsqd nodes
	 */
	int size();

	/**
	 * @param node node index
	 * @return the node's TCP address ({@code 127.0.0.1:port}) for producers and consumers
	 */
	String nsqdTcpAddress(int node);

	/**
	 * @param node node index
	 * @return the node's HTTP address ({@code 127.0.0.1:port})
	 */
	String nsqdHttpAddress(int node);

	/**
	 * @return whether an nsqlookupd runs
	 */
	boolean hasLookupd();

	/**
	 * @return the nsqlookupd HTTP address that clients query
	 * @throws IllegalStateException when the cluster has no nsqlookupd
	 */
	String lookupdHttpAddress();

	/**
	 * @return the nsqlookupd TCP address that nsqd nodes register on
	 * @throws IllegalStateException when the cluster has no nsqlookupd
	 */
	String lookupdTcpAddress();

	/**
	 * @return the options every nsqd runs with
	 */
	NsqdOptions options();

	/**
	 * Stop one nsqd (it disappears from nsqlookupd's producers). Its messages survive for
	 * {@link #startNode(int)}.
	 * @param node node index
	 */
	void stopNode(int node);

	/**
	 * Start a stopped nsqd on the same ports. Returns when it accepts connections.
	 * @param node node index
	 */
	void startNode(int node);

	/**
	 * @param node node index
	 * @return whether the node runs
	 */
	boolean isNodeRunning(int node);

	/**
	 * Stop everything and release ports and threads (and, for processes, temp data).
	 */
	@Override
	void close();

	/**
	 * @return the TCP addresses of all nodes
	 */
	default List<String> nsqdTcpAddresses() {
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < size(); i++) {
			addresses.add(nsqdTcpAddress(i));
		}
		return addresses;
	}

	/**
	 * @return the HTTP addresses of all nodes
	 */
	default List<String> nsqdHttpAddresses() {
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < size(); i++) {
			addresses.add(nsqdHttpAddress(i));
		}
		return addresses;
	}

	/**
	 * The Spring Boot properties that point nsq-spring at this cluster:
	 * {@value #NSQD_ADDRESSES_PROPERTY}, {@value #NSQD_HTTP_ADDRESSES_PROPERTY} and, with
	 * a lookupd, {@value #LOOKUPD_ADDRESSES_PROPERTY}.
	 * @return property name to value
	 */
	default Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(NSQD_ADDRESSES_PROPERTY, String.join(",", nsqdTcpAddresses()));
		properties.put(NSQD_HTTP_ADDRESSES_PROPERTY, String.join(",", nsqdHttpAddresses()));
		if (hasLookupd()) {
			properties.put(LOOKUPD_ADDRESSES_PROPERTY, lookupdHttpAddress());
		}
		return properties;
	}

}
