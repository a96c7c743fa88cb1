package io.github.nsqspring.test.nsqd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.nsqspring.core.protocol.NsqNames;

/**
 * A topic: copies every message to each of its channels; while it has no channel (or is
 * paused) it holds messages. Lock order is always topic, then channel, never the reverse.
 */
final class Topic {

	final String name;

	final boolean ephemeral;

	private final EmbeddedNsqd nsqd;

	private final TreeMap<String, Channel> channels = new TreeMap<>();

	/** Messages waiting for a first channel or for unpause, with their defer in nanos. */
	private final ArrayDeque<Object[]> held = new ArrayDeque<>();

	private volatile Channel[] channelArray = new Channel[0];

	private boolean paused;

	private boolean deleted;

	private long messageCount;

	private long messageBytes;

	Topic(EmbeddedNsqd nsqd, String name) {
		this.nsqd = nsqd;
		this.name = name;
		this.ephemeral = NsqNames.isEphemeral(name);
	}

	synchronized boolean isDeleted() {
		return this.deleted;
	}

	/**
	 * Publish messages atomically.
	 * @return false when the topic is being deleted ("exiting")
	 */
	boolean put(List<Message> messages, long deferNanos) {
		Channel[] targets;
		synchronized (this) {
			if (this.deleted) {
				return false;
			}
			for (Message message : messages) {
				this.messageCount++;
				this.messageBytes += message.body.length;
			}
			if (this.paused || this.channels.isEmpty()) {
				for (Message message : messages) {
					if (this.ephemeral && this.held.size() >= this.nsqd.options().memQueueSize()) {
						break;
					}
					this.held.add(new Object[] { message, deferNanos });
				}
				return true;
			}
			targets = this.channelArray;
		}
		distribute(targets, messages, deferNanos);
		return true;
	}

	private static void distribute(Channel[] targets, List<Message> messages, long deferNanos) {
		for (int i = 0; i < targets.length; i++) {
			for (Message message : messages) {
				targets[i].put((i == 0) ? message : message.copy(), deferNanos);
			}
		}
	}

	/** Existing channel or a new one; returns null when the topic is being deleted. */
	Channel getOrCreateChannel(String channelName) {
		Channel created;
		synchronized (this) {
			if (this.deleted) {
				return null;
			}
			Channel existing = this.channels.get(channelName);
			if (existing != null) {
				return existing;
			}
			created = new Channel(this.nsqd, this, channelName);
			this.channels.put(channelName, created);
			this.channelArray = this.channels.values().toArray(new Channel[0]);
			releaseHeld();
		}
		this.nsqd.registrations().channelCreated(this.name, channelName);
		return created;
	}

	synchronized Channel getChannel(String channelName) {
		return this.channels.get(channelName);
	}

	/** Must hold the topic lock. */
	private void releaseHeld() {
		if (this.paused || this.channels.isEmpty() || this.held.isEmpty()) {
			return;
		}
		Channel[] targets = this.channelArray;
		while (!this.held.isEmpty()) {
			Object[] entry = this.held.poll();
			distribute(targets, List.of((Message) entry[0]), (Long) entry[1]);
		}
	}

	/**
	 * Delete a channel (HTTP delete or ephemeral cleanup), closing its subscribers'
	 * connections when {@code closeClients}; an ephemeral topic goes away with its last
	 * channel.
	 */
	void deleteChannel(Channel channel, boolean closeClients) {
		boolean deleteTopic;
		synchronized (this) {
			if (this.channels.get(channel.name) != channel) {
				return;
			}
			this.channels.remove(channel.name);
			this.channelArray = this.channels.values().toArray(new Channel[0]);
			deleteTopic = this.ephemeral && this.channels.isEmpty();
		}
		List<ClientConnection> subscribers = channel.markDeleted();
		if (closeClients) {
			subscribers.forEach(ClientConnection::close);
		}
		this.nsqd.registrations().channelDeleted(this.name, channel.name);
		if (deleteTopic) {
			this.nsqd.deleteTopic(this);
		}
	}

	/** Mark deleted and delete all channels; the caller removes the topic from nsqd. */
	void markDeleted() {
		List<Channel> all;
		synchronized (this) {
			this.deleted = true;
			all = new ArrayList<>(this.channels.values());
			this.channels.clear();
			this.channelArray = new Channel[0];
			this.held.clear();
		}
		for (Channel channel : all) {
			channel.markDeleted().forEach(ClientConnection::close);
		}
	}

	void setPaused(boolean paused) {
		synchronized (this) {
			this.paused = paused;
			releaseHeld();
		}
	}

	synchronized boolean isPaused() {
		return this.paused;
	}

	void empty() {
		synchronized (this) {
			this.held.clear();
		}
	}

	synchronized List<Channel> channels() {
		return new ArrayList<>(this.channels.values());
	}

	synchronized int heldCount() {
		return this.held.size();
	}

	void requeueAllForRestart() {
		for (Channel channel : channels()) {
			channel.requeueAllForRestart();
		}
	}

	Map<String, Object> stats(String channelFilter, boolean includeClients) {
		Map<String, Object> stats = new LinkedHashMap<>();
		List<Channel> list;
		synchronized (this) {
			stats.put("topic_name", this.name);
			stats.put("depth", (long) this.held.size());
			stats.put("backend_depth",
					this.ephemeral ? 0L : Math.max(0L, this.held.size() - this.nsqd.options().memQueueSize()));
			stats.put("message_count", this.messageCount);
			stats.put("message_bytes", this.messageBytes);
			stats.put("paused", this.paused);
			list = new ArrayList<>(this.channels.values());
		}
		List<Object> channelStats = new ArrayList<>();
		for (Channel channel : list) {
			if (channelFilter == null || channelFilter.equals(channel.name)) {
				channelStats.add(channel.stats(includeClients));
			}
		}
		stats.put("channels", channelStats);
		stats.put("e2e_processing_latency", EmbeddedNsqd.emptyLatency());
		return stats;
	}

}
