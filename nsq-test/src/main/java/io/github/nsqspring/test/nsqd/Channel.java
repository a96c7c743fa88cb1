package io.github.nsqspring.test.nsqd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

import io.github.nsqspring.core.protocol.NsqNames;

/**
 * A channel: a queue of messages shared by competing consumers, with in-flight and
 * deferred sets. One lock (this object) guards all state; delivery hands frames to each
 * client's writer queue, so no socket I/O happens under it.
 */
final class Channel {

	final Topic topic;

	final String name;

	final boolean ephemeral;

	private final EmbeddedNsqd nsqd;

	private final ArrayDeque<Message> queue = new ArrayDeque<>();

	private final Map<Long, Message> inFlight = new HashMap<>();

	private final PriorityQueue<Message> deferred = new PriorityQueue<>(
			(a, b) -> Long.compare(a.deferredUntilNanos, b.deferredUntilNanos));

	private final List<ClientConnection> clients = new ArrayList<>();

	private int nextClient;

	private boolean paused;

	private boolean deleted;

	private long messageCount;

	private long requeueCount;

	private long timeoutCount;

	Channel(EmbeddedNsqd nsqd, Topic topic, String name) {
		this.nsqd = nsqd;
		this.topic = topic;
		this.name = name;
		this.ephemeral = NsqNames.isEphemeral(name);
	}

	synchronized boolean isDeleted() {
		return this.deleted;
	}

	/** A copy from the topic, optionally deferred. */
	void put(Message message, long deferNanos) {
		synchronized (this) {
			if (this.deleted) {
				return;
			}
			this.messageCount++;
			if (deferNanos > 0) {
				message.deferredUntilNanos = System.nanoTime() + deferNanos;
				this.deferred.add(message);
				return;
			}
			if (this.ephemeral && this.queue.size() >= this.nsqd.options().memQueueSize()) {
				// ephemeral channels have no disk backend: overflow is dropped, like nsqd
				return;
			}
			this.queue.add(message);
		}
		dispatch();
	}

	/**
	 * Add a subscriber.
	 * @return null on success, "deleted" when this channel is being deleted (caller
	 * retries with a fresh channel), or an error text
	 */
	synchronized String addClient(ClientConnection client) {
		if (this.deleted) {
			return "deleted";
		}
		int max = this.nsqd.options().maxChannelConsumers();
		if (max > 0 && this.clients.size() >= max) {
			return "consumers for " + this.topic.name + ":" + this.name + " exceeds limit of " + max;
		}
		this.clients.add(client);
		return null;
	}

	void removeClient(ClientConnection client) {
		boolean deleteNow;
		synchronized (this) {
			if (!this.clients.remove(client)) {
				return;
			}
			// in-flight messages of the client stay in flight and time out later, as in
			// nsqd
			deleteNow = this.ephemeral && this.clients.isEmpty() && !this.deleted;
		}
		if (deleteNow) {
			this.topic.deleteChannel(this, false);
		}
		else {
			dispatch();
		}
	}

	/**
	 * Mark deleted, drop all messages and return the subscribers so the caller can close
	 * their connections (nsqd closes them when a channel is deleted).
	 */
	synchronized List<ClientConnection> markDeleted() {
		this.deleted = true;
		this.queue.clear();
		this.inFlight.clear();
		this.deferred.clear();
		List<ClientConnection> subscribers = new ArrayList<>(this.clients);
		this.clients.clear();
		return subscribers;
	}

	/** Deliver queued messages to ready clients, round robin. */
	void dispatch() {
		synchronized (this) {
			if (this.paused || this.deleted || this.queue.isEmpty() || this.clients.isEmpty() || this.nsqd.isFrozen()) {
				return;
			}
			long now = System.nanoTime();
			while (!this.queue.isEmpty()) {
				ClientConnection client = nextReadyClient();
				if (client == null) {
					return;
				}
				Message message = this.queue.poll();
				int sampleRate = client.sampleRate;
				if (sampleRate > 0 && ThreadLocalRandom.current().nextInt(100) > sampleRate) {
					// nsqd consumes sampled-out messages for this channel
					continue;
				}
				message.attempts++;
				message.owner = client;
				message.deliveredAtNanos = now;
				message.deadlineNanos = now + client.msgTimeoutNanos;
				this.inFlight.put(message.id, message);
				client.inFlightCount++;
				client.messageCount++;
				client.send(message.encodeFrame());
			}
		}
	}

	private ClientConnection nextReadyClient() {
		int n = this.clients.size();
		for (int i = 0; i < n; i++) {
			int index = (this.nextClient + i) % n;
			ClientConnection client = this.clients.get(index);
			if (client.isReadyForMessages()) {
				this.nextClient = (index + 1) % n;
				return client;
			}
		}
		return null;
	}

	String finish(ClientConnection client, long id) {
		synchronized (this) {
			String error = checkOwner(client, id);
			if (error != null) {
				return error;
			}
			this.inFlight.remove(id);
			client.inFlightCount--;
			client.finishCount++;
		}
		dispatch();
		return null;
	}

	String requeue(ClientConnection client, long id, long delayNanos) {
		synchronized (this) {
			if (this.deleted) {
				return "exiting";
			}
			String error = checkOwner(client, id);
			if (error != null) {
				return error;
			}
			Message message = this.inFlight.remove(id);
			client.inFlightCount--;
			client.requeueCount++;
			this.requeueCount++;
			message.owner = null;
			if (delayNanos > 0) {
				message.deferredUntilNanos = System.nanoTime() + delayNanos;
				this.deferred.add(message);
			}
			else {
				this.queue.add(message);
			}
		}
		dispatch();
		return null;
	}

	synchronized String touch(ClientConnection client, long id) {
		String error = checkOwner(client, id);
		if (error != null) {
			return error;
		}
		Message message = this.inFlight.get(id);
		long now = System.nanoTime();
		long deadline = now + client.msgTimeoutNanos;
		long cap = message.deliveredAtNanos + this.nsqd.options().maxMsgTimeout().toNanos();
		message.deadlineNanos = Math.min(deadline, cap);
		return null;
	}

	private String checkOwner(ClientConnection client, long id) {
		Message message = (id < 0) ? null : this.inFlight.get(id);
		if (message == null) {
			return "ID not in flight";
		}
		if (message.owner != client) {
			return "client does not own message";
		}
		return null;
	}

	/** Time out expired in-flight messages and release due deferred ones. */
	void scan(long now) {
		boolean dirty = false;
		synchronized (this) {
			if (this.deleted || this.inFlight.isEmpty() && this.deferred.isEmpty()) {
				return;
			}
			if (!this.inFlight.isEmpty()) {
				var it = this.inFlight.values().iterator();
				while (it.hasNext()) {
					Message message = it.next();
					if (message.deadlineNanos - now <= 0) {
						it.remove();
						ClientConnection owner = message.owner;
						owner.inFlightCount--;
						message.owner = null;
						this.timeoutCount++;
						this.queue.add(message);
						dirty = true;
					}
				}
			}
			while (!this.deferred.isEmpty() && this.deferred.peek().deferredUntilNanos - now <= 0) {
				this.queue.add(this.deferred.poll());
				dirty = true;
			}
		}
		if (dirty) {
			dispatch();
		}
	}

	/**
	 * nsqd's channel empty: drop queued, in-flight and deferred, reset clients' counts.
	 */
	void empty() {
		synchronized (this) {
			this.queue.clear();
			this.inFlight.clear();
			this.deferred.clear();
			for (ClientConnection client : this.clients) {
				client.inFlightCount = 0;
			}
		}
		dispatch();
	}

	void setPaused(boolean paused) {
		synchronized (this) {
			this.paused = paused;
		}
		dispatch();
	}

	synchronized boolean isPaused() {
		return this.paused;
	}

	/**
	 * On nsqd stop: in-flight and deferred go back to the queue, as nsqd persists them.
	 */
	synchronized void requeueAllForRestart() {
		for (Message message : this.inFlight.values()) {
			message.owner = null;
			this.queue.add(message);
		}
		this.inFlight.clear();
		this.queue.addAll(this.deferred);
		this.deferred.clear();
		this.clients.clear();
	}

	synchronized List<ClientConnection> clients() {
		return new ArrayList<>(this.clients);
	}

	synchronized Map<String, Object> stats(boolean includeClients) {
		Map<String, Object> stats = new java.util.LinkedHashMap<>();
		stats.put("channel_name", this.name);
		stats.put("depth", (long) this.queue.size());
		stats.put("backend_depth", backendDepth(this.queue.size()));
		stats.put("in_flight_count", (long) this.inFlight.size());
		stats.put("deferred_count", (long) this.deferred.size());
		stats.put("message_count", this.messageCount);
		stats.put("requeue_count", this.requeueCount);
		stats.put("timeout_count", this.timeoutCount);
		stats.put("client_count", (long) this.clients.size());
		stats.put("paused", this.paused);
		stats.put("e2e_processing_latency", EmbeddedNsqd.emptyLatency());
		if (includeClients) {
			List<Object> list = new ArrayList<>();
			for (ClientConnection client : this.clients) {
				list.add(client.stats());
			}
			stats.put("clients", list);
		}
		else {
			stats.put("clients", null);
		}
		return stats;
	}

	long backendDepth(int size) {
		// a real nsqd spills what exceeds mem-queue-size to disk (ephemeral ones drop it)
		return this.ephemeral ? 0 : Math.max(0, size - this.nsqd.options().memQueueSize());
	}

}
