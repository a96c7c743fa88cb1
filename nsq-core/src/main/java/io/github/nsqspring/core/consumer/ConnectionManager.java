package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqException;
import io.github.nsqspring.core.NsqTimeoutException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.ConnectFailures;
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
 * nsqd with exponential backoff, giving up on an nsqd whose failure cannot heal
 * ({@link ConnectFailures}), and draining and closing connections (when nsqlookupd stops
 * listing an nsqd, and when the consumer stops). A subscribed connection is handed to the
 * {@link RdyController}; its messages go straight from its reader to the
 * {@link WorkerPool}. The connection list is guarded by one lock of its own, never held
 * while calling the other parts; when to try an nsqd again is kept by {@link Reconnects}.
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

	private final Duration drainTimeout;

	private final ConsumerExecutors executors;

	private final ConsumerEvents events;

	private final RdyController rdy;

	private final WorkerPool workers;

	private final Reconnects reconnects;

	private final AnswerCounts answers = new AnswerCounts();

	/** Called whenever a connection closes or fails to open while stopping. */
	private final Runnable stopCheck;

	private final Object lock = new Object();

	// ---- guarded by lock

	private final List<ConsumerConnection> connections = new ArrayList<>();

	private final Set<String> pending = new HashSet<>();

	private ScheduledFuture<?> lookupdPoll;

	/** Reader threads of connections that closed after the stop began. */
	private final List<Thread> endingReaders = new ArrayList<>();

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
		Duration reconnectMax = (settings.reconnectMax() != null) ? settings.reconnectMax()
				: max(settings.reconnectInitial(), this.config.lookupd().getPollInterval());
		this.reconnects = new Reconnects(this.name, settings.reconnectInitial(), reconnectMax, executors);
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
	 * The first connection round, synchronous as go-nsq's first lookup: every configured
	 * nsqd, then every nsqd nsqlookupd lists, opened and subscribed but not yet asked for
	 * messages (no RDY), so that a permanent failure of one of them can still stop the
	 * start with nothing consumed. A transient failure is retried in the background as
	 * later ones are.
	 * @return the subscribed connections, for {@link #startRunning(List)}
	 * @throws NsqException the first permanent failure (the others suppressed in it);
	 * every connection this round opened is closed then
	 */
	List<ConsumerConnection> connectFirstRound() {
		List<ConsumerConnection> opened = new ArrayList<>();
		List<NsqException> permanent = new ArrayList<>();
		Future<?> first = this.executors.submitIo(() -> {
			for (NsqAddress address : this.fixedAddresses) {
				addIfOpened(opened, open(address, false, permanent));
			}
			List<NsqAddress> discovered = (this.lookupd != null) ? lookup() : null;
			if (discovered != null) {
				for (NsqAddress address : discovered) {
					addIfOpened(opened, open(address, true, permanent));
				}
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
		synchronized (opened) {
			if (!permanent.isEmpty()) {
				opened.forEach(this::closeConnection);
				NsqException failure = permanent.get(0);
				permanent.subList(1, permanent.size()).forEach(failure::addSuppressed);
				throw failure;
			}
			return new ArrayList<>(opened);
		}
	}

	private static void addIfOpened(List<ConsumerConnection> opened, ConsumerConnection connection) {
		if (connection != null) {
			synchronized (opened) {
				opened.add(connection);
			}
		}
	}

	/**
	 * Ask the first round's connections for messages, then poll nsqlookupd.
	 * @param first what {@link #connectFirstRound()} returned
	 */
	void startRunning(List<ConsumerConnection> first) {
		for (ConsumerConnection connection : first) {
			register(connection);
		}
		if (this.lookupd != null) {
			long pollNanos = this.config.lookupd().getPollInterval().toNanos();
			long jitter = (long) (ThreadLocalRandom.current().nextDouble() * this.config.lookupd().getPollJitter()
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
			this.reconnects.stop();
			ConsumerExecutors.cancel(this.lookupdPoll);
			for (ConsumerConnection connection : this.connections) {
				connection.closing = true;
			}
			return new ArrayList<>(this.connections);
		}
	}

	/**
	 * Wait for the reader threads of the connections that closed while stopping to end.
	 * @param wait the longest wait for each
	 */
	void awaitReaders(Duration wait) {
		List<Thread> readers;
		synchronized (this.lock) {
			readers = new ArrayList<>(this.endingReaders);
		}
		for (Thread reader : readers) {
			if (reader == Thread.currentThread()) {
				continue;
			}
			try {
				reader.join(wait.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
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
		ConsumerConnection connection = open(address, discovered, null);
		if (connection != null) {
			register(connection);
		}
	}

	/**
	 * Open a connection and subscribe it, waiting for nsqd's answer to SUB (go-nsq does
	 * not wait, and so learns of a refused SUB only when nsqd closes the connection).
	 * @param permanentFailures where a permanent failure goes in the first round;
	 * {@code null} later, when it is reported through the listener
	 * @return the subscribed connection, or {@code null} when it is connected or being
	 * connected already, the consumer is stopping, the nsqd failed permanently before, or
	 * opening it failed now
	 */
	private ConsumerConnection open(NsqAddress address, boolean discovered, List<NsqException> permanentFailures) {
		String key = address.toString();
		synchronized (this.lock) {
			if (this.stopping || this.pending.contains(key) || find(key) != null || this.reconnects.isGivenUp(key)) {
				return null;
			}
			this.pending.add(key);
		}
		ConsumerConnection consumerConnection = new ConsumerConnection(this, this.workers, address, discovered);
		try {
			NsqConnection connection = NsqConnection.open(address, this.config, consumerConnection);
			consumerConnection.connection = connection;
			connection.send(NsqCommand.sub(this.topic, this.channel));
			awaitSubscribed(consumerConnection);
			return consumerConnection;
		}
		catch (RuntimeException ex) {
			synchronized (this.lock) {
				this.pending.remove(key);
			}
			if (consumerConnection.connection != null) {
				consumerConnection.connection.close();
			}
			connectFailed(address, discovered, ex, permanentFailures);
			this.stopCheck.run();
			return null;
		}
	}

	private void awaitSubscribed(ConsumerConnection connection) {
		long timeout = this.config.connection().getReadTimeout().toMillis();
		try {
			connection.subscribed.get(timeout, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof NsqException failure) ? failure : new NsqConnectionException(
					"SUB to nsqd " + connection + " failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new NsqTimeoutException("nsqd " + connection + " did not answer SUB within read_timeout ("
					+ this.config.connection().getReadTimeout() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NsqConnectionException("interrupted while waiting for nsqd " + connection + " to answer SUB");
		}
	}

	private void connectFailed(NsqAddress address, boolean discovered, RuntimeException failure,
			List<NsqException> permanentFailures) {
		String key = address.toString();
		String remedy = ConnectFailures.remedy(failure);
		if (remedy != null && failure instanceof NsqException permanent) {
			logger.error("Consumer {} cannot consume from nsqd {} and stops trying it: {}. To fix: {}", this.name, key,
					failure.getMessage(), remedy);
			this.reconnects.giveUp(key, permanent);
			if (permanentFailures != null) {
				permanentFailures.add(permanent);
			}
			else {
				this.events.permanentFailure(key, permanent);
			}
			return;
		}
		logger.warn("Consumer {} could not connect to nsqd {}: {}", this.name, key, failure.getMessage());
		this.reconnects.failed(key, failure.getMessage());
		this.events.connectFailed(key, failure);
		if (!discovered || this.fixedAddresses.contains(address)) {
			// a discovered nsqd is tried again at the next nsqlookupd poll
			scheduleReconnect(address);
		}
	}

	/**
	 * Take a subscribed connection in and hand it to the RDY controller.
	 */
	private void register(ConsumerConnection connection) {
		String key = connection.addressText;
		boolean registered = false;
		synchronized (this.lock) {
			this.pending.remove(key);
			if (!this.stopping && !connection.closed) {
				this.connections.add(connection);
				this.answers.add(connection);
				this.connectionCount = this.connections.size();
				registered = true;
			}
		}
		long maxRdy = connection.connection.identifyResponse().maxRdyCount();
		if (!registered) {
			connection.connection.close();
			if (!this.stopping) {
				afterConnectionLoss(connection, connection.lastError);
			}
			this.stopCheck.run();
			return;
		}
		if (!this.rdy.add(connection, maxRdy)) {
			// closed meanwhile (its close was handled as a loss), or stopping
			connection.connection.close();
			return;
		}
		this.reconnects.connected(key);
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
			// open() or register() sees the close and handles it
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
			synchronized (this.lock) {
				// this reader thread ends right after: the stop waits for it
				this.endingReaders.add(Thread.currentThread());
			}
			this.stopCheck.run();
			return;
		}
		if (!connection.closing) {
			if (cause instanceof RuntimeException failure && ConnectFailures.isPermanent(failure)) {
				// e.g. nsqd's auth server withdrew the permission
				connectFailed(connection.address, connection.discovered, failure, null);
			}
			else {
				afterConnectionLoss(connection, (cause != null) ? cause.getMessage() : null);
			}
		}
	}

	void onError(ConsumerConnection connection, Frame.Error error) {
		switch (error.code()) {
			case E_FIN_FAILED, E_REQ_FAILED, E_TOUCH_FAILED -> {
				this.responseErrors.increment();
				logger.warn("nsqd {} refused an answer of consumer {}: {}", connection, this.name, error.text());
				this.events.responseError(connection.addressText, error.text());
			}
			// a fatal error: nsqd closes the connection, and the close reports it
			default -> logger.debug("nsqd {} sent consumer {} the error {}", connection, this.name, error.text());
		}
	}

	/**
	 * A configured address is reconnected after a backoff; a discovered one only when
	 * nsqlookupd still lists it, so nsqlookupd is asked again now.
	 */
	private void afterConnectionLoss(ConsumerConnection connection, String why) {
		if (this.stopping) {
			return;
		}
		this.reconnects.failed(connection.addressText, why);
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
		if (!this.stopping) {
			this.reconnects.schedule(address,
					() -> this.executors.executeIo("reconnect", () -> connect(address, false)));
		}
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
		List<NsqAddress> addresses = lookup();
		if (addresses == null) {
			return;
		}
		Set<String> listed = new HashSet<>();
		for (NsqAddress address : addresses) {
			listed.add(address.toString());
			connect(address, true);
		}
		// an nsqd nsqlookupd no longer lists is no longer retried
		this.reconnects
			.forgetUnless((key) -> listed.contains(key) || this.fixedAddresses.contains(NsqAddress.parse(key)));
		closeUnlisted(listed);
	}

	/**
	 * Ask nsqlookupd which nsqd have the topic, through the discovery filter.
	 * @return the addresses, or {@code null} (after reporting it) when the query failed
	 */
	private List<NsqAddress> lookup() {
		LookupResult result;
		try {
			result = this.lookupd.lookup(this.topic);
		}
		catch (RuntimeException ex) {
			logger.warn("Consumer {} could not query nsqlookupd: {}", this.name, ex.getMessage());
			this.events.lookupFailed(ex);
			return null;
		}
		List<String> found = new ArrayList<>(
				new LinkedHashSet<>(result.producers().stream().map(NsqdNode::tcpAddress).toList()));
		List<String> filtered;
		try {
			filtered = this.discoveryFilter.apply(found);
		}
		catch (RuntimeException ex) {
			logger.warn("Discovery filter of consumer {} failed; using all {} nsqd", this.name, found.size(), ex);
			filtered = found;
		}
		List<NsqAddress> addresses = new ArrayList<>();
		for (String text : filtered) {
			try {
				addresses.add(NsqAddress.parse(text));
			}
			catch (RuntimeException ex) {
				logger.warn("Consumer {} ignores nsqd address {} from nsqlookupd: {}", this.name, text,
						ex.getMessage());
			}
		}
		return addresses;
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
	 * are answered; after the drain timeout, requeue what is still unanswered and close
	 * it.
	 */
	private void drain(ConsumerConnection connection) {
		if (!this.rdy.drain(connection)) {
			return;
		}
		connection.sendCls();
		this.executors.schedule("drain timeout", () -> {
			int requeued = this.workers.requeueUnanswered((candidate) -> candidate == connection, false);
			if (requeued > 0) {
				logger.info("Consumer {} requeued {} unanswered message(s) of nsqd {} at the end of its drain",
						this.name, requeued, connection);
			}
			closeConnection(connection);
		}, this.drainTimeout.toNanos());
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
	 * Flush what was written without flush, then close: answers written without flush
	 * must reach nsqd before the socket closes, also when a handler thread is still
	 * queued to flush them.
	 */
	void closeConnection(ConsumerConnection connection) {
		NsqConnection nsqConnection = connection.connection;
		if (nsqConnection == null) {
			return;
		}
		try {
			nsqConnection.flushAndClose();
		}
		catch (NsqException ex) {
			logger.debug("Final flush to {} failed: {}", connection, ex.getMessage());
		}
	}

	// ---------------------------------------------------------------- stats

	/**
	 * FIN and REQ written, over every connection this consumer had.
	 * @return the totals
	 */
	AnswerCounts.Totals answerTotals() {
		return this.answers.totals();
	}

	/**
	 * Every nsqd this consumer is connected to, connecting to, or gave up on.
	 * @param rdyCounts the RDY count per connected address
	 * @return one entry per nsqd, connected ones first
	 */
	List<ConnectionStats> connectionStats(Map<String, Long> rdyCounts) {
		synchronized (this.lock) {
			List<ConnectionStats> stats = new ArrayList<>();
			Set<String> seen = new HashSet<>();
			for (ConsumerConnection connection : this.connections) {
				seen.add(connection.addressText);
				stats.add(new ConnectionStats(connection.addressText,
						connection.closing ? ConnectionStats.State.DRAINING : ConnectionStats.State.CONNECTED,
						rdyCounts.getOrDefault(connection.addressText, 0L), connection.inFlight.get(),
						connection.finished.sum(), connection.requeued.sum(), connection.lastError));
			}
			this.reconnects.addStats(stats, seen);
			return stats;
		}
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
