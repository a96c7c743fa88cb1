package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The consumer: go-nsq's flow control, backoff and discovery on blocking connections.
 * <p>
 * Threads: one reader per connection ({@link NsqConnection}) queues messages for the
 * handler workers ({@code concurrency} loops on the executor); one scheduler thread
 * ({@code nsq-consumer-…}) runs the timers (RDY redistribution and retries, backoff,
 * nsqlookupd polling, reconnect delays); one I/O thread ({@code nsq-consumer-io-…}) runs
 * the blocking work (connecting, nsqlookupd queries) so that a slow dial or lookup never
 * delays a timer. RDY, backoff and the connection list are guarded by one lock.
 * <p>
 * Hot path: a worker answers a message whose handler returned quickly by writing FIN into
 * the connection's buffer without flushing; it flushes before it waits for the next
 * message, after {@value #MAX_UNFLUSHED} answers, or when the oldest unflushed answer is
 * older than {@value #MAX_UNFLUSHED_MICROS} µs when the next message starts. Many FINs
 * then share one system call, as nsqd's own bench_reader does.
 */
final class DefaultNsqConsumer implements NsqConsumer {

	private static final Logger logger = LoggerFactory.getLogger(DefaultNsqConsumer.class);

	static final int MAX_UNFLUSHED = 128;

	static final long MAX_UNFLUSHED_MICROS = 1000;

	/**
	 * A handler slower than this answers with an immediate flush: batching gains nothing.
	 */
	private static final long SLOW_HANDLER_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

	private static final long MIN_LIFETIME_FOR_REQUERY = TimeUnit.SECONDS.toNanos(5);

	private static final Duration RDY_RETRY = Duration.ofSeconds(5);

	private static final Duration RESUME_RETRY = Duration.ofSeconds(1);

	private static final Delivery POISON = new Delivery(null, null, null);

	private enum State {

		NEW, RUNNING, STOPPING, STOPPED

	}

	private enum Signal {

		RESUME, BACKOFF, CONTINUE

	}

	private final String topic;

	private final String channel;

	private final NsqConfig config;

	private final MessageHandler handler;

	private final FailedMessageHandler failedMessageHandler;

	private final ConsumerListener listener;

	private final int concurrency;

	private final Executor userExecutor;

	private final Duration shutdownTimeout;

	private final UnaryOperator<List<String>> discoveryFilter;

	private final Set<NsqAddress> fixedAddresses;

	private final LookupdClient lookupd;

	private final Duration reconnectInitial;

	private final Duration reconnectMax;

	private final String name;

	private final Object lock = new Object();

	// ---- guarded by lock

	private State state = State.NEW;

	private final List<ConsumerConnection> connections = new ArrayList<>();

	private final Set<String> pending = new HashSet<>();

	private final Map<String, Integer> reconnectAttempts = new HashMap<>();

	private final Map<String, ScheduledFuture<?>> reconnectTasks = new HashMap<>();

	private long totalRdy;

	private int maxInFlight;

	private boolean needsRedistribution;

	private int backoffCounter;

	private boolean backoffTimerPending;

	private ScheduledFuture<?> backoffTimer;

	private ScheduledFuture<?> lookupdPoll;

	// ---- lock-free state

	private volatile boolean stopping;

	/** {@code backoffCounter > 0 || backoffTimerPending}, readable without the lock. */
	private volatile boolean backoffActive;

	private volatile int connectionCount;

	private final DeliveryQueue queue = new DeliveryQueue();

	private final LongAdder received = new LongAdder();

	private final LongAdder finished = new LongAdder();

	private final LongAdder requeued = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder inFlight = new LongAdder();

	private final LongAdder responseErrors = new LongAdder();

	private final AtomicBoolean lookupQueued = new AtomicBoolean();

	private final AtomicBoolean finishing = new AtomicBoolean();

	private final CompletableFuture<Void> stopFuture = new CompletableFuture<>();

	private ScheduledThreadPoolExecutor scheduler;

	private ExecutorService io;

	private final List<Thread> workerThreads = new ArrayList<>();

	DefaultNsqConsumer(NsqConsumerBuilder builder, Set<NsqAddress> fixedAddresses, LookupdClient lookupd) {
		this.topic = builder.topic;
		this.channel = builder.channel;
		this.config = builder.config;
		this.handler = builder.handler;
		this.failedMessageHandler = (builder.failedMessageHandler != null) ? builder.failedMessageHandler
				: this::logFailedMessage;
		this.listener = (builder.listener != null) ? builder.listener : new ConsumerListener() {
		};
		this.concurrency = builder.concurrency;
		this.userExecutor = builder.executor;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.discoveryFilter = builder.discoveryFilter;
		this.fixedAddresses = fixedAddresses;
		this.lookupd = lookupd;
		this.reconnectInitial = builder.reconnectInitial;
		this.reconnectMax = (builder.reconnectMax != null) ? builder.reconnectMax
				: max(this.reconnectInitial, this.config.getLookupdPollInterval());
		this.maxInFlight = this.config.getMaxInFlight();
		this.name = this.topic + "/" + this.channel;
	}

	// ---------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		synchronized (this.lock) {
			if (this.state != State.NEW) {
				throw new IllegalStateException("consumer " + this.name + " was already "
						+ ((this.state == State.RUNNING) ? "started" : "stopped"));
			}
			this.state = State.RUNNING;
			this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("nsq-consumer-" + this.name));
			this.scheduler.setRemoveOnCancelPolicy(true);
			this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			ThreadPoolExecutor io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
					daemonThreads("nsq-consumer-io-" + this.name));
			this.io = io;
		}
		startWorkers();
		long interval = this.config.getRdyRedistributeInterval().toNanos();
		this.scheduler.scheduleWithFixedDelay(guarded("RDY redistribution", this::redistributeRdy), interval, interval,
				TimeUnit.NANOSECONDS);
		// the first round is synchronous, as go-nsq's first lookup: after start() every
		// reachable nsqd is subscribed
		Future<?> first = this.io.submit(() -> {
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
				if (this.state == State.RUNNING) {
					this.lookupdPoll = this.scheduler.scheduleAtFixedRate(this::triggerLookup, jitter, pollNanos,
							TimeUnit.NANOSECONDS);
				}
			}
		}
	}

	private void startWorkers() {
		for (int i = 0; i < this.concurrency; i++) {
			Worker worker = new Worker();
			if (this.userExecutor != null) {
				this.userExecutor.execute(worker);
			}
			else {
				Thread thread = new Thread(worker, "nsq-handler-" + this.name + "-" + (i + 1));
				thread.setDaemon(true);
				this.workerThreads.add(thread);
				thread.start();
			}
		}
	}

	@Override
	public CompletableFuture<Void> stop(Duration timeout) {
		List<ConsumerConnection> draining;
		synchronized (this.lock) {
			if (this.state == State.NEW) {
				this.state = State.STOPPED;
				this.stopping = true;
				this.stopFuture.complete(null);
				return this.stopFuture;
			}
			if (this.state != State.RUNNING) {
				return this.stopFuture;
			}
			this.state = State.STOPPING;
			this.stopping = true;
			cancel(this.backoffTimer);
			cancel(this.lookupdPoll);
			this.reconnectTasks.values().forEach(DefaultNsqConsumer::cancel);
			this.reconnectTasks.clear();
			// armed before anything can complete the stop (and shut the scheduler down)
			this.scheduler.schedule(guarded("stop timeout", this::finishStop), Math.max(0, timeout.toNanos()),
					TimeUnit.NANOSECONDS);
			draining = new ArrayList<>(this.connections);
			for (ConsumerConnection connection : draining) {
				connection.closing = true;
				cancel(connection.rdyRetry);
			}
		}
		// CLS makes nsqd stop sending (it answers CLOSE_WAIT) while it still accepts the
		// answers of messages already delivered
		for (ConsumerConnection connection : draining) {
			try {
				connection.connection.send(NsqCommand.cls());
			}
			catch (NsqException ex) {
				logger.debug("CLS to {} failed: {}", connection, ex.getMessage());
			}
		}
		// messages no handler has started: give them back now rather than let them time
		// out on nsqd. The stop may already be finishing on another thread (the last
		// connection drained) and have queued the workers' POISON: hand that back.
		List<Delivery> unstarted = new ArrayList<>();
		this.queue.drainTo(unstarted);
		for (Delivery delivery : unstarted) {
			if (delivery == POISON) {
				this.queue.offer(POISON);
			}
			else {
				requeueUnhandled(delivery);
			}
		}
		for (ConsumerConnection connection : draining) {
			checkDrained(connection);
		}
		checkStopped();
		return this.stopFuture;
	}

	@Override
	public CompletableFuture<Void> stopFuture() {
		return this.stopFuture;
	}

	@Override
	public void close() {
		CompletableFuture<Void> future = stop(this.shutdownTimeout);
		try {
			future.get(this.shutdownTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Consumer {} did not stop cleanly", this.name, ex);
		}
	}

	/**
	 * Complete the stop once no connection is left and none is being opened.
	 */
	private void checkStopped() {
		synchronized (this.lock) {
			if (this.state != State.STOPPING || !this.connections.isEmpty() || !this.pending.isEmpty()) {
				return;
			}
		}
		try {
			this.scheduler.execute(guarded("stop", this::finishStop));
		}
		catch (RejectedExecutionException ex) {
			// already finishing
		}
	}

	private void finishStop() {
		if (!this.finishing.compareAndSet(false, true)) {
			return;
		}
		List<ConsumerConnection> remaining;
		synchronized (this.lock) {
			this.state = State.STOPPED;
			remaining = new ArrayList<>(this.connections);
		}
		for (ConsumerConnection connection : remaining) {
			logger.warn(
					"Consumer {} stop timed out with {} message(s) in flight on {}; closing anyway (nsqd "
							+ "delivers them again after their timeout)",
					this.name, connection.inFlight.get(), connection);
			closeConnection(connection);
		}
		for (int i = 0; i < this.concurrency; i++) {
			this.queue.offer(POISON);
		}
		this.io.shutdownNow();
		for (Thread thread : this.workerThreads) {
			try {
				thread.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.scheduler.shutdownNow();
		logger.debug("Consumer {} stopped", this.name);
		this.stopFuture.complete(null);
	}

	// ---------------------------------------------------------------- connections

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
		ConsumerConnection consumerConnection = new ConsumerConnection(this, address, discovered);
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
			notifyListener(() -> this.listener.onConnectFailed(key, ex));
			if (!discovered || this.fixedAddresses.contains(address)) {
				// a discovered nsqd is tried again at the next nsqlookupd poll
				scheduleReconnect(address);
			}
			checkStopped();
			return;
		}
		long maxRdy = connection.identifyResponse().maxRdyCount();
		boolean registered = false;
		synchronized (this.lock) {
			this.pending.remove(key);
			if (!this.stopping && !consumerConnection.closed) {
				consumerConnection.maxRdy = maxRdy;
				this.connections.add(consumerConnection);
				this.connectionCount = this.connections.size();
				this.reconnectAttempts.remove(key);
				registered = true;
				// shrink the others' shares first so that the new one can get its own
				for (ConsumerConnection other : this.connections) {
					if (other != consumerConnection) {
						maybeUpdateRdy(other);
					}
				}
				maybeUpdateRdy(consumerConnection);
			}
		}
		if (!registered) {
			connection.close();
			if (!this.stopping) {
				afterConnectionLoss(consumerConnection);
			}
			checkStopped();
			return;
		}
		if (maxRdy < this.maxInFlight) {
			logger.warn("nsqd {} allows RDY {} at most, less than max_in_flight {} of consumer {}", key, maxRdy,
					this.maxInFlight, this.name);
		}
		logger.info("Consumer {} connected to nsqd {}", this.name, key);
		notifyListener(() -> this.listener.onConnected(key));
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
				long hadRdy = connection.rdy;
				boolean hadRetry = connection.rdyRetry != null;
				this.totalRdy -= connection.rdy;
				connection.rdy = 0;
				cancel(connection.rdyRetry);
				connection.rdyRetry = null;
				if ((hadRdy > 0 || hadRetry)
						&& (this.connections.size() == this.maxInFlight || this.backoffCounter > 0)) {
					this.needsRedistribution = true;
				}
				// Unlike go-nsq, the remaining connections take over the closed one's
				// share now instead of keeping their smaller share until the next change.
				if (!this.stopping) {
					for (ConsumerConnection other : this.connections) {
						maybeUpdateRdy(other);
					}
				}
			}
		}
		if (!registered) {
			// connect() sees the close and handles it
			return;
		}
		String address = connection.addressText;
		if (cause != null && !this.stopping) {
			logger.warn("Consumer {} lost its connection to nsqd {}: {}", this.name, address, cause.getMessage());
		}
		else {
			logger.info("Consumer {} closed its connection to nsqd {}", this.name, address);
		}
		notifyListener(() -> this.listener.onDisconnected(address, cause));
		if (this.stopping) {
			checkStopped();
			return;
		}
		if (!connection.closing) {
			afterConnectionLoss(connection);
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
			try {
				ScheduledFuture<?> task = this.scheduler.schedule(() -> {
					synchronized (this.lock) {
						this.reconnectTasks.remove(key);
					}
					submitIo(() -> connect(address, false));
				}, delay, TimeUnit.NANOSECONDS);
				this.reconnectTasks.put(key, task);
			}
			catch (RejectedExecutionException ex) {
				// stopping
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

	private void triggerLookup() {
		if (this.lookupd != null && !this.stopping && this.lookupQueued.compareAndSet(false, true)) {
			submitIo(() -> {
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
			notifyListener(() -> this.listener.onLookupFailed(ex));
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

	/**
	 * Stop asking one connection for messages and close it once its in-flight messages
	 * are answered (or after the shutdown timeout).
	 */
	private void drain(ConsumerConnection connection) {
		synchronized (this.lock) {
			if (connection.closing) {
				return;
			}
			sendRdy(connection, 0);
			connection.closing = true;
			cancel(connection.rdyRetry);
			connection.rdyRetry = null;
			for (ConsumerConnection other : this.connections) {
				maybeUpdateRdy(other);
			}
		}
		try {
			connection.connection.send(NsqCommand.cls());
		}
		catch (NsqException ex) {
			logger.debug("CLS to {} failed: {}", connection, ex.getMessage());
		}
		try {
			this.scheduler.schedule(() -> closeConnection(connection), this.shutdownTimeout.toNanos(),
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopping closes it
		}
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

	private void closeConnection(ConsumerConnection connection) {
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

	// ---------------------------------------------------------------- RDY (under lock)

	private void maybeUpdateRdy(ConsumerConnection connection) {
		if (this.backoffCounter > 0 || this.backoffTimerPending) {
			return;
		}
		updateRdy(connection, share(connection));
	}

	private long share(ConsumerConnection connection) {
		int count = 0;
		int index = -1;
		for (ConsumerConnection candidate : this.connections) {
			if (candidate == connection) {
				index = count;
			}
			if (!candidate.closing) {
				count++;
			}
		}
		return RdyMath.share(this.maxInFlight, count, Math.max(index, 0));
	}

	/**
	 * go-nsq's {@code updateRDY}, except that lowering a connection's RDY always succeeds
	 * (go-nsq refuses it while the total is above a lowered max_in_flight).
	 * @return {@code false} when the connection is closing or max_in_flight is exhausted
	 */
	private boolean updateRdy(ConsumerConnection connection, long requested) {
		if (connection.closing || connection.closed || this.stopping) {
			return false;
		}
		long count = Math.min(requested, connection.maxRdy);
		cancel(connection.rdyRetry);
		connection.rdyRetry = null;
		if (count <= connection.rdy) {
			sendRdy(connection, count);
			return true;
		}
		long maxPossible = this.maxInFlight - this.totalRdy + connection.rdy;
		if (maxPossible > 0 && maxPossible < count) {
			count = maxPossible;
		}
		if (maxPossible <= 0 && count > 0) {
			if (connection.rdy == 0) {
				// without this retry a connection could stay at RDY 0 forever
				long retryCount = count;
				try {
					connection.rdyRetry = this.scheduler.schedule(() -> {
						synchronized (this.lock) {
							connection.rdyRetry = null;
							updateRdy(connection, retryCount);
						}
					}, RDY_RETRY.toNanos(), TimeUnit.NANOSECONDS);
				}
				catch (RejectedExecutionException ex) {
					// stopping
				}
			}
			return false;
		}
		sendRdy(connection, count);
		return true;
	}

	private void sendRdy(ConsumerConnection connection, long count) {
		if (count == 0 && connection.rdy == 0) {
			return;
		}
		long last = connection.rdy;
		this.totalRdy += count - last;
		connection.rdy = count;
		if (count > 0) {
			connection.lastRdyNanos = System.nanoTime();
		}
		if (count == last) {
			return;
		}
		try {
			connection.connection.send(NsqCommand.rdy(count));
		}
		catch (NsqException ex) {
			logger.debug("RDY {} to {} failed: {}", count, connection, ex.getMessage());
		}
	}

	private void redistributeRdy() {
		synchronized (this.lock) {
			if (this.stopping || this.backoffTimerPending) {
				return;
			}
			List<ConsumerConnection> active = activeConnections();
			if (active.isEmpty()) {
				return;
			}
			boolean inBackoff = this.backoffCounter > 0;
			if (active.size() > this.maxInFlight || (inBackoff && active.size() > 1)) {
				this.needsRedistribution = true;
			}
			if (!this.needsRedistribution) {
				return;
			}
			this.needsRedistribution = false;
			long now = System.nanoTime();
			long idle = this.config.getLowRdyIdleTimeout().toNanos();
			long lowRdy = this.config.getLowRdyTimeout().toNanos();
			List<ConsumerConnection> candidates = new ArrayList<>();
			for (ConsumerConnection connection : active) {
				if (connection.rdy > 0) {
					if (now - connection.lastMessageNanos > idle) {
						updateRdy(connection, 0);
					}
					else if (now - connection.lastRdyNanos > lowRdy) {
						updateRdy(connection, 0);
					}
				}
				candidates.add(connection);
			}
			long available = (inBackoff ? 1 : this.maxInFlight) - this.totalRdy;
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (!candidates.isEmpty() && available > 0) {
				ConsumerConnection choice = candidates.remove(random.nextInt(candidates.size()));
				available--;
				updateRdy(choice, 1);
			}
		}
	}

	private List<ConsumerConnection> activeConnections() {
		List<ConsumerConnection> active = new ArrayList<>(this.connections.size());
		for (ConsumerConnection connection : this.connections) {
			if (!connection.closing) {
				active.add(connection);
			}
		}
		return active;
	}

	@Override
	public void changeMaxInFlight(int maxInFlight) {
		if (maxInFlight < 0) {
			throw new IllegalArgumentException("max_in_flight must be 0 or more, was " + maxInFlight);
		}
		synchronized (this.lock) {
			this.maxInFlight = maxInFlight;
			for (ConsumerConnection connection : new ArrayList<>(this.connections)) {
				maybeUpdateRdy(connection);
			}
		}
	}

	// ---------------------------------------------------------------- backoff

	/**
	 * go-nsq's {@code startStopContinueBackoff}: FIN resumes, REQ backs off,
	 * requeue-without-backoff continues; while a backoff timer runs every signal is
	 * ignored.
	 */
	private void signal(Signal signal) {
		if (signal != Signal.BACKOFF && !this.backoffActive) {
			// not backing off: resume and continue change nothing (the hot path)
			return;
		}
		synchronized (this.lock) {
			if (this.stopping || this.backoffTimerPending) {
				return;
			}
			boolean updated = false;
			if (signal == Signal.RESUME && this.backoffCounter > 0) {
				this.backoffCounter--;
				updated = true;
			}
			else if (signal == Signal.BACKOFF && this.config.getBackoffStrategy()
				.calculate(this.config.getBackoffMultiplier(), this.backoffCounter + 1)
				.compareTo(this.config.getMaxBackoffDuration()) <= 0) {
				this.backoffCounter++;
				updated = true;
			}
			if (this.backoffCounter == 0 && updated) {
				this.backoffActive = false;
				logger.info("Consumer {} leaves backoff", this.name);
				for (ConsumerConnection connection : new ArrayList<>(this.connections)) {
					updateRdy(connection, share(connection));
				}
			}
			else if (this.backoffCounter > 0) {
				Duration wait = RdyMath.backoff(this.config.getBackoffStrategy(), this.config.getBackoffMultiplier(),
						this.backoffCounter, this.config.getMaxBackoffDuration());
				logger.info("Consumer {} backs off for {} ms (level {})", this.name, wait.toMillis(),
						this.backoffCounter);
				startBackoffTimer(wait);
			}
		}
	}

	/**
	 * RDY 0 everywhere and a timer that resumes with one connection at RDY 1 (under
	 * lock).
	 */
	private void startBackoffTimer(Duration wait) {
		for (ConsumerConnection connection : this.connections) {
			sendRdy(connection, 0);
		}
		this.backoffTimerPending = true;
		this.backoffActive = true;
		try {
			this.backoffTimer = this.scheduler.schedule(guarded("backoff resume", this::resumeFromBackoff),
					wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
	}

	private void resumeFromBackoff() {
		synchronized (this.lock) {
			this.backoffTimer = null;
			if (this.stopping) {
				this.backoffTimerPending = false;
				return;
			}
			List<ConsumerConnection> active = activeConnections();
			if (active.isEmpty()) {
				logger.warn("Consumer {} has no connection to resume on; backing off for {} ms", this.name,
						RESUME_RETRY.toMillis());
				startBackoffTimer(RESUME_RETRY);
				return;
			}
			// test the waters with a single message on a random connection
			ConsumerConnection choice = active.get(ThreadLocalRandom.current().nextInt(active.size()));
			if (!updateRdy(choice, 1)) {
				logger.warn("Consumer {} could not resume with RDY 1 on {}; backing off for {} ms", this.name, choice,
						RESUME_RETRY.toMillis());
				startBackoffTimer(RESUME_RETRY);
				return;
			}
			this.backoffTimerPending = false;
			this.backoffActive = this.backoffCounter > 0;
		}
	}

	// ---------------------------------------------------------------- messages

	/**
	 * A message frame (reader thread): queue it for a handler, or give it back at once
	 * while stopping.
	 */
	void onMessage(ConsumerConnection connection, Frame.Message frame) {
		this.received.increment();
		this.inFlight.increment();
		connection.inFlight.incrementAndGet();
		connection.lastMessageNanos = System.nanoTime();
		Delivery delivery = new Delivery(this, connection, frame);
		if (this.stopping) {
			requeueUnhandled(delivery);
			return;
		}
		this.queue.offer(delivery);
	}

	void onError(ConsumerConnection connection, Frame.Error error) {
		switch (error.code()) {
			case E_FIN_FAILED, E_REQ_FAILED, E_TOUCH_FAILED -> {
				this.responseErrors.increment();
				logger.warn("nsqd {} refused an answer of consumer {}: {}", connection, this.name, error.text());
				notifyListener(() -> this.listener.onResponseError(connection.addressText, error.text()));
			}
			default -> logger.error("nsqd {} sent consumer {} the error {}", connection, this.name, error.text());
		}
	}

	private void requeueUnhandled(Delivery delivery) {
		respond(delivery, NsqCommand.req(delivery.frame.id(), 0), null, null, this.requeued);
	}

	void finish(Delivery delivery, Worker worker) {
		respond(delivery, NsqCommand.fin(delivery.frame.id()), Signal.RESUME, worker, this.finished);
	}

	void requeue(Delivery delivery, long delayMillis, boolean backoff, Worker worker) {
		respond(delivery, NsqCommand.req(delivery.frame.id(), delayMillis), backoff ? Signal.BACKOFF : Signal.CONTINUE,
				worker, this.requeued);
	}

	void touch(Delivery delivery) {
		try {
			delivery.connection.connection.send(NsqCommand.touch(delivery.frame.id()));
		}
		catch (NsqException ex) {
			logger.debug("TOUCH {} to {} failed: {}", delivery.idText(), delivery.connection, ex.getMessage());
		}
	}

	long automaticRequeueDelayMillis(int attempts) {
		return RdyMath.requeueDelayMillis(this.config.getDefaultRequeueDelay(), this.config.getMaxRequeueDelay(),
				attempts);
	}

	/**
	 * The single answer of a message. The backoff signal is processed first, so RDY
	 * changes reach nsqd before the FIN or REQ that caused them (as go-nsq). The
	 * in-flight count drops only after the answer is written, so a draining connection is
	 * never closed with an answer still unwritten.
	 */
	private void respond(Delivery delivery, NsqCommand command, Signal signal, Worker worker, LongAdder counter) {
		if (!delivery.markResponded()) {
			return;
		}
		if (signal != null) {
			signal(signal);
		}
		ConsumerConnection connection = delivery.connection;
		try {
			if (worker != null) {
				connection.connection.send(command, null, false);
				worker.unflushed(connection);
			}
			else {
				connection.connection.send(command);
			}
			counter.increment();
		}
		catch (NsqException ex) {
			logger.debug("{} to {} failed ({}); nsqd delivers the message again after its timeout", command.name(),
					connection, ex.getMessage());
		}
		connection.inFlight.decrementAndGet();
		this.inFlight.decrement();
		if (connection.closing) {
			checkDrained(connection);
		}
	}

	private void process(Delivery delivery, Worker worker) {
		ConsumerConnection connection = delivery.connection;
		if (connection.closed) {
			// its answer could not be written: nsqd delivers it again after its timeout
			if (delivery.markResponded()) {
				connection.inFlight.decrementAndGet();
				this.inFlight.decrement();
			}
			return;
		}
		int maxAttempts = this.config.getMaxAttempts();
		if (maxAttempts > 0 && delivery.attempts() > maxAttempts) {
			this.failed.increment();
			try {
				this.failedMessageHandler.onFailedMessage(delivery);
			}
			catch (RuntimeException ex) {
				logger.warn("Failed-message handler of consumer {} threw for {}", this.name, delivery, ex);
			}
			finish(delivery, worker);
			return;
		}
		try {
			this.handler.handle(delivery);
			if (!delivery.isAutoResponseDisabled()) {
				finish(delivery, worker);
			}
		}
		catch (Throwable ex) {
			logger.warn("Handler of consumer {} failed for {}; requeueing it", this.name, delivery, ex);
			if (!delivery.isAutoResponseDisabled()) {
				requeue(delivery, automaticRequeueDelayMillis(delivery.attempts()), true, worker);
			}
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	private void logFailedMessage(NsqMessage message) {
		logger.warn("Consumer {} gives up on message {} after {} attempts (max_attempts {}); finishing it", this.name,
				message.idText(), message.attempts(), this.config.getMaxAttempts());
	}

	/**
	 * A handler loop. Answers of quick handlers are written without flush and flushed in
	 * batches (see the class comment).
	 */
	final class Worker implements Runnable {

		private ConsumerConnection[] dirty = new ConsumerConnection[4];

		private int dirtyCount;

		private int unflushed;

		private long firstUnflushedNanos;

		private boolean slowHandler;

		/** When the current message was taken; 0 before the first. */
		private long started;

		/**
		 * One clock read per message: the moment a message is taken also ends the
		 * previous one, whose duration decides whether its answer is flushed before this
		 * message is handled.
		 */
		@Override
		public void run() {
			try {
				while (true) {
					Delivery delivery = DefaultNsqConsumer.this.queue.poll();
					long now;
					if (delivery == null) {
						endPrevious(System.nanoTime());
						flush();
						delivery = DefaultNsqConsumer.this.queue.take();
						now = System.nanoTime();
					}
					else {
						now = System.nanoTime();
						endPrevious(now);
					}
					if (this.unflushed > 0 && (this.slowHandler || this.unflushed >= MAX_UNFLUSHED
							|| now - this.firstUnflushedNanos > MAX_UNFLUSHED_MICROS * 1000)) {
						flush();
					}
					if (delivery == POISON) {
						return;
					}
					this.started = now;
					process(delivery, this.slowHandler ? null : this);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				flush();
			}
		}

		private void endPrevious(long now) {
			if (this.started != 0) {
				this.slowHandler = now - this.started > SLOW_HANDLER_NANOS;
			}
		}

		void unflushed(ConsumerConnection connection) {
			if (this.unflushed++ == 0) {
				this.firstUnflushedNanos = this.started;
			}
			for (int i = 0; i < this.dirtyCount; i++) {
				if (this.dirty[i] == connection) {
					return;
				}
			}
			if (this.dirtyCount == this.dirty.length) {
				this.dirty = java.util.Arrays.copyOf(this.dirty, this.dirtyCount * 2);
			}
			this.dirty[this.dirtyCount++] = connection;
		}

		private void flush() {
			for (int i = 0; i < this.dirtyCount; i++) {
				try {
					this.dirty[i].connection.flush();
				}
				catch (NsqException ex) {
					logger.debug("Flush to {} failed: {}", this.dirty[i], ex.getMessage());
				}
				this.dirty[i] = null;
			}
			this.dirtyCount = 0;
			this.unflushed = 0;
		}

	}

	// ---------------------------------------------------------------- state

	@Override
	public ConsumerStats stats() {
		long rdy;
		synchronized (this.lock) {
			rdy = this.totalRdy;
		}
		return new ConsumerStats(this.received.sum(), this.finished.sum(), this.requeued.sum(), this.failed.sum(),
				this.inFlight.sum(), this.connectionCount, this.responseErrors.sum(), rdy);
	}

	@Override
	public boolean isStarved() {
		synchronized (this.lock) {
			for (ConsumerConnection connection : this.connections) {
				int count = connection.inFlight.get();
				if (!connection.closing && count > 0 && count >= (long) (0.85 * connection.rdy)) {
					return true;
				}
			}
			return false;
		}
	}

	@Override
	public String topic() {
		return this.topic;
	}

	@Override
	public String channel() {
		return this.channel;
	}

	/**
	 * The current max_in_flight.
	 * @return the value
	 */
	int maxInFlight() {
		synchronized (this.lock) {
			return this.maxInFlight;
		}
	}

	/**
	 * The backoff level (for tests).
	 * @return the backoff counter
	 */
	int backoffLevel() {
		synchronized (this.lock) {
			return this.backoffCounter;
		}
	}

	/**
	 * The RDY count per connection (for tests).
	 * @return address to RDY
	 */
	Map<String, Long> rdyCounts() {
		synchronized (this.lock) {
			Map<String, Long> counts = new java.util.LinkedHashMap<>();
			for (ConsumerConnection connection : this.connections) {
				counts.put(connection.addressText, connection.rdy);
			}
			return counts;
		}
	}

	@Override
	public String toString() {
		return "NsqConsumer[" + this.name + "]";
	}

	// ---------------------------------------------------------------- helpers

	private void submitIo(Runnable task) {
		try {
			this.io.execute(guarded("I/O task", task));
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
	}

	private Runnable guarded(String what, Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.error("{} of consumer {} failed", what, this.name, ex);
			}
		};
	}

	private void notifyListener(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of consumer {} failed", this.name, ex);
		}
	}

	private static void cancel(Future<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, (count.getAndIncrement() == 0) ? name : name + "-" + count.get());
			thread.setDaemon(true);
			return thread;
		};
	}

}
