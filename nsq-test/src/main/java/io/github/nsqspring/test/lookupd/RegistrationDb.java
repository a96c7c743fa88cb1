package io.github.nsqspring.test.lookupd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * nsqlookupd's registration database: keys {@code (category, key, subkey)} — client,
 * topic and channel — each holding the producers (nsqd nodes) that registered it. All
 * methods are synchronized; the data is tiny.
 */
final class RegistrationDb {

	record Key(String category, String key, String subkey) {
	}

	static final class Peer {

		final String id;

		final String remoteAddress;

		final String hostname;

		final String broadcastAddress;

		final long tcpPort;

		final long httpPort;

		final String version;

		final String topologyZone;

		final String topologyRegion;

		volatile long lastUpdateNanos = System.nanoTime();

		Peer(String id, String hostname, String broadcastAddress, long tcpPort, long httpPort, String version,
				String topologyZone, String topologyRegion) {
			this.id = id;
			this.remoteAddress = id;
			this.hostname = hostname;
			this.broadcastAddress = broadcastAddress;
			this.tcpPort = tcpPort;
			this.httpPort = httpPort;
			this.version = version;
			this.topologyZone = topologyZone;
			this.topologyRegion = topologyRegion;
		}

		Map<String, Object> info() {
			Map<String, Object> info = new LinkedHashMap<>();
			info.put("remote_address", this.remoteAddress);
			info.put("hostname", this.hostname);
			info.put("broadcast_address", this.broadcastAddress);
			info.put("tcp_port", this.tcpPort);
			info.put("http_port", this.httpPort);
			info.put("version", this.version);
			return info;
		}

	}

	static final class Producer {

		final Peer peer;

		boolean tombstoned;

		long tombstonedAtNanos;

		Producer(Peer peer) {
			this.peer = peer;
		}

		boolean isTombstoned(long lifetimeNanos) {
			return this.tombstoned && System.nanoTime() - this.tombstonedAtNanos < lifetimeNanos;
		}

	}

	private final Map<Key, Map<String, Producer>> registrations = new LinkedHashMap<>();

	synchronized void addRegistration(Key key) {
		this.registrations.computeIfAbsent(key, (k) -> new LinkedHashMap<>());
	}

	synchronized void addProducer(Key key, Peer peer) {
		this.registrations.computeIfAbsent(key, (k) -> new LinkedHashMap<>()).putIfAbsent(peer.id, new Producer(peer));
	}

	/**
	 * @return producers left under the key, or -1 when the key does not exist
	 */
	synchronized int removeProducer(Key key, String peerId) {
		Map<String, Producer> producers = this.registrations.get(key);
		if (producers == null) {
			return -1;
		}
		producers.remove(peerId);
		return producers.size();
	}

	synchronized void removeRegistration(Key key) {
		this.registrations.remove(key);
	}

	synchronized void removePeer(String peerId) {
		for (Map<String, Producer> producers : this.registrations.values()) {
			producers.remove(peerId);
		}
	}

	/** Keys matching; "*" matches any key or subkey. */
	synchronized List<Key> find(String category, String key, String subkey) {
		List<Key> found = new ArrayList<>();
		for (Key k : this.registrations.keySet()) {
			if (k.category().equals(category) && ("*".equals(key) || k.key().equals(key))
					&& ("*".equals(subkey) || k.subkey().equals(subkey))) {
				found.add(k);
			}
		}
		return found;
	}

	synchronized List<Producer> producers(Key key) {
		Map<String, Producer> producers = this.registrations.get(key);
		return (producers != null) ? new ArrayList<>(producers.values()) : new ArrayList<>();
	}

	/** Topics a peer registered. */
	synchronized List<String> topicsOf(String peerId) {
		TreeSet<String> topics = new TreeSet<>();
		this.registrations.forEach((key, producers) -> {
			if (key.category().equals("topic") && producers.containsKey(peerId)) {
				topics.add(key.key());
			}
		});
		return new ArrayList<>(topics);
	}

	synchronized Producer producer(Key key, String peerId) {
		Map<String, Producer> producers = this.registrations.get(key);
		return (producers != null) ? producers.get(peerId) : null;
	}

	synchronized void tombstone(String topic, String node) {
		Map<String, Producer> producers = this.registrations.get(new Key("topic", topic, ""));
		if (producers == null) {
			return;
		}
		for (Producer producer : producers.values()) {
			String address = producer.peer.broadcastAddress + ":" + producer.peer.httpPort;
			if (Objects.equals(address, node)) {
				producer.tombstoned = true;
				producer.tombstonedAtNanos = System.nanoTime();
			}
		}
	}

}
