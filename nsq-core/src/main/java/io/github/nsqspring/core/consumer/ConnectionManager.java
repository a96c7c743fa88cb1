package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.connection.NsqConnection;
import io.github.nsqspring.core.lookup.LookupResult;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.lookup.NsqdNode;
import io.github.nsqspring.core.protocol.Frame;
import io.github.nsqspring.core.protocol.NsqCommand;

/**
 * A consumer's connections: which nsqd to consume from (configured addresses, nsqlookupd
 * discovery), opening and subscribing them (on the I/O thread), reconnecting configured
 * nsqd with exponential backoff, and draining and closing connections (when nsqlookupd
 * stops listing an nsqd, and when the consumer stops). A subscribed connection is handed
 * to the {@link RdyController}; its messages go straight from its reader to the
 * {@link WorkerPool}. The connection list and the reconnect state are guarded by one lock
 * of its own, never held while calling the other parts.
 */
final class ConnectionManager {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionManager.class);

	private static final long MIN_LIFETIME_FOR_REQUERY = TimeUnit.SECONDS.toNanos(5);

	private final String name;

	private final String topic;

	private final String channel;

	private final NsqConfig config;

	private final Set<NsqAddress> fixedAddresses;

	private final LookupdClient lookupd;

	private final UnaryOperator<List<String>> discoveryFilter;

	private final Duration reconnectInitial;

	private final Duration reconnectMax;

	private final Duration drainTimeout;

	private final ConsumerExecutors executors;

	private final ConsumerEvents events;

	private final RdyController rdy;

	private final WorkerPool workers;

	/** Called whenever a connection closes or fails to open while stopping. */
	private final Runnable stopCheck;

	private final Object lock = new Object();

	// ---- guarded by lock

	private final List<ConsumerConnection> connections = new ArrayList<>();

	private final Set<String> pending = new HashSet<>();

	private final Map<String, Integer> reconnectAttempts = new HashMap<>();

	private final Map<String, ScheduledFuture<?>> reconnectTasks = new HashMap<>();

	private ScheduledFuture<?> lookupdPoll;

	// ---- lock-free

	private volatile boolean stopping;

	private volatile int connectionCount;

	private final AtomicBoolean lookupQueued = new AtomicBoolean();

	private final LongAdder responseErrors = new LongAdder();

	ConnectionManager(Settings settings, ConsumerExecutors executors, ConsumerEvents events, RdyController rdy,
			WorkerPool workers, Runnable stopCheck) {
		this.name = settings.topic() + "/" + settings.channel();
		this.topic = settings.topic();
		this.channel = settings.channel();
		this.config = settings.config();
		this.fixedAddresses = settings.fixedAddresses();
		this.lookupd = settings.lookupd();
		this.discoveryFilter = settings.discoveryFilter();
		this.reconnectInitial = settings.reconnectInitial();
		this.reconnectMax = (settings.reconnectMax() != null) ? settings.reconnectMax()
				: max(this.reconnectInitial, this.config.getLookupdPollInterval());
		this.drainTimeout = settings.drainTimeout();
		this.executors = executors;
		this.events = events;
		this.rdy = rdy;
		this.workers = workers;
		this.stopCheck = stopCheck;
	}

	/**
	 * Where and how to connect.
	 *
	 * @param topic the topic
	 * @param channel the channel
	 * @param config the configuration
	 * @param fixedAddresses nsqd configured directly
	 * @param lookupd the nsqlookupd client, or {@code null}
	 * @param discoveryFilter applied to the nsqd nsqlookupd lists
	 * @param reconnectInitial first reconnect delay of a configured nsqd
	 * @param reconnectMax longest reconnect delay, or {@code null} for the default
	 * @param drainTimeout how long a connection nsqlookupd stopped listing may drain
	 */
	record Settings(String topic, String channel, NsqConfig config, Set<NsqAddress> fixedAddresses,
			LookupdClient lookupd, UnaryOperator<List<String>> discoveryFilter, Duration reconnectInitial,
			Duration reconnectMax, Duration drainTimeout) {
	}

	/**
	 * The first connection round, synchronous as go-nsq's first lookup (after it every
	 * reachable nsqd is subscribed), then the nsqlookupd poll.
	 */
	void start() {
		Future<?> first = this.executors.submitIo(() -> {
			for (NsqAddress address : this.fixedAddresses) {
				connect(address, false);
			}
			if (this.lookupd != null) {
				lookupAndConnect();
			}
		});
		try {
			first.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			logger.warn("Initial connection round of consumer {} failed", this.name, ex.getCause());
		}
		if (this.lookupd != null) {
			long pollNanos = this.config.getLookupdPollInterval().toNanos();
			long jitter = (long) (ThreadLocalRandom.current().nextDouble() * this.config.getLookupdPollJitter()
					* pollNanos);
			synchronized (this.lock) {
				if (!this.stopping) {
					this.lookupdPoll = this.executors.scheduleAtFixedRate("nsqlookupd poll", this::triggerLookup,
							jitter, pollNanos);
				}
			}
		}
	}

	/**
	 * Stop connecting: cancel the nsqlookupd poll and pending reconnects, and mark every
	 * connection as closing.
	 * @return the connections to drain
	 */
	List<ConsumerConnection> stop() {
		synchronized (this.lock) {
			this.stopping = true;
			ConsumerExecutors.cancel(this.lookupdPoll);
			this.reconnectTasks.values().forEach(ConsumerExecutors::cancel);
			this.reconnectTasks.clear();
			for (ConsumerConnection connection : this.connections) {
				connection.closing = true;
			}
			return new ArrayList<>(this.connections);
		}
	}

	/**
	 * Whether no connection is open and none is being opened.
	 * @return {@code true} when idle
	 */
	boolean isIdle() {
		synchronized (this.lock) {
			return this.connections.isEmpty() && this.pending.isEmpty();
		}
	}

	/**
	 * The open connections.
	 * @return a snapshot
	 */
	List<ConsumerConnection> connections() {
		synchronized (this.lock) {
			return new ArrayList<>(this.connections);
		}
	}

	int connectionCount() {
		return this.connectionCount;
	}

	long responseErrors() {
		return this.responseErrors.sum();
	}

	// ---------------------------------------------------------------- connecting

	/**
	 * Open, subscribe and register a connection (I/O thread).
	 */
	private void connect(NsqAddress address, boolean discovered) {
		String key = address.toString();
		synchronized (this.lock) {
			if (this.stopping || this.pending.contains(key) || find(key) != null) {
				return;
			}
			this.pending.add(key);
		}
		ConsumerConnection consumerConnection = new ConsumerConnection(this, this.workers, address, discovered);
		NsqConnection connection;
		try {
			connection = NsqConnection.open(address, this.config, consumerConnection);
			consumerConnection.connection = connection;
			connection.send(NsqCommand.sub(this.topic, this.channel));
		}
		catch (RuntimeException ex) {
			synchronized (this.lock) {
				this.pending.remove(key);
			}
			if (consumerConnection.connection != null) {
				consumerConnection.connection.close();
			}
			logger.warn("Consumer {} could not connect to nsqd {}: {}", this.name, key, ex.getMessage());
			this.events.connectFailed(key, ex);
			if (!discovered || this.fixedAddresses.contains(address)) {
				// a discovered nsqd is tried again at the next nsqlookupd poll
				scheduleReconnect(address);
			}
			this.stopCheck.run();
			return;
		}
		boolean registered = false;
		synchronized (this.lock) {
			this.pending.remove(key);
			if (!this.stopping && !consumerConnection.closed) {
				this.connections.add(consumerConnection);
				this.connectionCount = this.connections.size();
				this.reconnectAttempts.remove(key);
				registered = true;
			}
		}
		long maxRdy = connection.identifyResponse().maxRdyCount();
		if (!registered) {
			connection.close();
			if (!this.stopping) {
				afterConnectionLoss(consumerConnection);
			}
			this.stopCheck.run();
			return;
		}
		if (!this.rdy.add(consumerConnection, maxRdy)) {
			// closed meanwhile (its close was handled as a loss), or stopping
			connection.close();
			return;
		}
		if (maxRdy < this.rdy.maxInFlight()) {
			logger.warn("nsqd {} allows RDY {} at most, less than max_in_flight {} of consumer {}", key, maxRdy,
					this.rdy.maxInFlight(), this.name);
		}
		logger.info("Consumer {} connected to nsqd {}", this.name, key);
		this.events.connected(key);
	}

	/**
	 * A connection's reader ended (reader thread).
	 */
	void onConnectionClosed(ConsumerConnection connection, Throwable cause) {
		boolean registered;
		synchronized (this.lock) {
			registered = this.connections.remove(connection);
			if (registered) {
				this.connectionCount = this.connections.size();
			}
		}
		if (!registered) {
			// connect() sees the close and handles it
			return;
		}
		this.rdy.remove(connection);
		String address = connection.addressText;
		if (cause != null && !this.stopping) {
			logger.warn("Consumer {} lost its connection to nsqd {}: {}", this.name, address, cause.getMessage());
		}
		else {
			logger.info("Consumer {} closed its connection to nsqd {}", this.name, address);
		}
		this.events.disconnected(address, cause);
		if (this.stopping) {
			this.stopCheck.run();
			return;
		}
		if (!connection.closing) {
			afterConnectionLoss(connection);
		}
	}

	void onError(ConsumerConnection connection, Frame.Error error) {
		switch (error.code()) {
			case E_FIN_FAILED, E_REQ_FAILED, E_TOUCH_FAILED -> {
				this.responseErrors.increment();
				logger.warn("nsqd {} refused an answer of consumer {}: {}", connection, this.name, error.text());
				this.events.responseError(connection.addressText, error.text());
			}
			default -> logger.error("nsqd {} sent consumer {} the error {}", connection, this.name, error.text());
		}
	}

	/**
	 * A configured address is reconnected after a backoff; a discovered one only when
	 * nsqlookupd still lists it, so nsqlookupd is asked again now.
	 */
	private void afterConnectionLoss(ConsumerConnection connection) {
		if (this.stopping) {
			return;
		}
		if (this.fixedAddresses.contains(connection.address)) {
			scheduleReconnect(connection.address);
		}
		else if (this.lookupd != null && System.nanoTime() - connection.createdNanos > MIN_LIFETIME_FOR_REQUERY) {
			// as go-nsq, ask nsqlookupd again at once; but not for a connection that died
			// young (e.g. SUB refused), which would loop: the next poll retries it
			triggerLookup();
		}
	}

	private void scheduleReconnect(NsqAddress address) {
		String key = address.toString();
		synchronized (this.lock) {
			if (this.stopping || this.reconnectTasks.containsKey(key)) {
				return;
			}
			int attempt = this.reconnectAttempts.merge(key, 1, Integer::sum);
			long delay = reconnectDelayNanos(attempt);
			logger.info("Consumer {} reconnects to nsqd {} in {} ms (attempt {})", this.name, key,
					TimeUnit.NANOSECONDS.toMillis(delay), attempt);
			ScheduledFuture<?> task = this.executors.schedule("reconnect", () -> {
				synchronized (this.lock) {
					this.reconnectTasks.remove(key);
				}
				this.executors.executeIo("reconnect", () -> connect(address, false));
			}, delay);
			if (task != null) {
				this.reconnectTasks.put(key, task);
			}
		}
	}

	/**
	 * Exponential reconnect delay with ±20% jitter: the initial delay doubled per failed
	 * attempt, up to the maximum.
	 */
	long reconnectDelayNanos(int attempt) {
		long initial = this.reconnectInitial.toNanos();
		long max = this.reconnectMax.toNanos();
		long delay = (attempt >= 40 || initial > (max >> Math.min(attempt - 1, 62))) ? max : initial << (attempt - 1);
		delay = Math.min(delay, max);
		double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
		return (long) (delay * jitter);
	}

	// ---------------------------------------------------------------- discovery

	private void triggerLookup() {
		if (this.lookupd != null && !this.stopping && this.lookupQueued.compareAndSet(false, true)) {
			this.executors.executeIo("nsqlookupd query", () -> {
				this.lookupQueued.set(false);
				lookupAndConnect();
			});
		}
	}

	/**
	 * One nsqlookupd round (I/O thread): connect to the nsqd it lists, close the
	 * connections to nsqd it stopped listing.
	 */
	private void lookupAndConnect() {
		if (this.stopping) {
			return;
		}
		LookupResult result;
		try {
			result = this.lookupd.lookup(this.topic);
		}
		catch (RuntimeException ex) {
			logger.warn("Consumer {} could not query nsqlookupd: {}", this.name, ex.getMessage());
			this.events.lookupFailed(ex);
			return;
		}
		List<String> found = new ArrayList<>(
				new LinkedHashSet<>(result.producers().stream().map(NsqdNode::tcpAddress).toList()));
		List<String> addresses;
		try {
			addresses = this.discoveryFilter.apply(found);
		}
		catch (RuntimeException ex) {
			logger.warn("Discovery filter of consumer {} failed; using all {} nsqd", this.name, found.size(), ex);
			addresses = found;
		}
		Set<String> listed = new HashSet<>();
		for (String text : addresses) {
			try {
				NsqAddress address = NsqAddress.parse(text);
				listed.add(address.toString());
				connect(address, true);
			}
			catch (RuntimeException ex) {
				logger.warn("Consumer {} ignores nsqd address {} from nsqlookupd: {}", this.name, text,
						ex.getMessage());
			}
		}
		closeUnlisted(listed);
	}

	/**
	 * go-nsq keeps connections to nsqd that nsqlookupd no longer lists (e.g. tombstoned
	 * or unregistered nodes). Here such a connection is drained and closed once the node
	 * was missing from as many consecutive answers as there are nsqlookupd plus one, so
	 * that a single nsqlookupd that restarted (and forgot its registrations) does not
	 * disconnect everything.
	 */
	private void closeUnlisted(Set<String> listed) {
		int threshold = this.lookupd.addresses().size() + 1;
		List<ConsumerConnection> leaving = new ArrayList<>();
		synchronized (this.lock) {
			for (ConsumerConnection connection : this.connections) {
				if (!connection.discovered || connection.closing || this.fixedAddresses.contains(connection.address)) {
					continue;
				}
				if (listed.contains(connection.addressText)) {
					connection.absentFromLookupd = 0;
				}
				else if (++connection.absentFromLookupd >= threshold) {
					leaving.add(connection);
				}
			}
		}
		for (ConsumerConnection connection : leaving) {
			logger.info("nsqd {} left nsqlookupd; consumer {} drains and closes its connection", connection, this.name);
			drain(connection);
		}
	}

	// ---------------------------------------------------------------- closing

	/**
	 * Stop asking one connection for messages and close it once its in-flight messages
	 * are answered (or after the drain timeout).
	 */
	private void drain(ConsumerConnection connection) {
		if (!this.rdy.drain(connection)) {
			return;
		}
		try {
			connection.send(NsqCommand.cls());
		}
		catch (NsqException ex) {
			logger.debug("CLS to {} failed: {}", connection, ex.getMessage());
		}
		this.executors.schedule("drain timeout", () -> closeConnection(connection), this.drainTimeout.toNanos());
		checkDrained(connection);
	}

	/**
	 * Close a draining connection once nothing it delivered is unanswered and nsqd
	 * confirmed the CLS.
	 */
	void checkDrained(ConsumerConnection connection) {
		if (connection.closing && connection.inFlight.get() == 0 && (connection.closeWait || connection.closed)) {
			closeConnection(connection);
		}
	}

	/**
	 * Flush what was written without flush, then close.
	 */
	void closeConnection(ConsumerConnection connection) {
		NsqConnection nsqConnection = connection.connection;
		if (nsqConnection == null) {
			return;
		}
		try {
			// answers written without flush must reach nsqd before the socket closes
			nsqConnection.flush();
		}
		catch (NsqException ex) {
			logger.debug("Final flush to {} failed: {}", connection, ex.getMessage());
		}
		nsqConnection.close();
	}

	private ConsumerConnection find(String key) {
		for (ConsumerConnection connection : this.connections) {
			if (connection.addressText.equals(key)) {
				return connection;
			}
		}
		return null;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
