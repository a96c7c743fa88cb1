package io.github.nsqspring.boot.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.nsqspring.core.protocol.NsqNames;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Creates the application's topics and channels on every nsqd when it starts, before
 * anything publishes or consumes: every {@link NsqDeclarable} and {@link NsqDeclarables}
 * bean of the application context, plus those {@linkplain #setDeclarables(Collection)
 * given}. It is also the {@link NsqChannelDeclarer} of listener containers, which declare
 * their own channel at each start. Declaring is idempotent (nsqd ignores the creation of
 * what exists), so restarts and several instances of a service are safe.
 * <p>
 * Lifecycle phase {@value #DEFAULT_PHASE}: it starts before the listener containers, the
 * web server and {@code ApplicationRunner}s, so channels exist before consumers subscribe
 * and before anything publishes.
 * <p>
 * When a declaration fails (an nsqd or nsqlookupd unreachable, an nsqd refusing):
 * <ul>
 * <li>by default it is logged as a warning and retried in the background every
 * {@linkplain #setRetryInterval(Duration) retry interval} (30 seconds by default) until
 * it succeeded on every node known then, so an application starts while nsqd is down and
 * its declarations land once nsqd is back (as with KafkaAdmin and RabbitAdmin);</li>
 * <li>with {@link #setFailOnError(boolean) fail on error} the start fails: startup
 * declarations fail the application context, a listener's declaration fails its
 * container's start.</li>
 * </ul>
 * Invalid names never get this far: {@link NsqTopic} and {@link NsqChannel} reject them
 * when the beans are created. An ephemeral listener channel is never declared.
 * <p>
 * Nodes that join later: declarations run at startup (and at each listener start). A real
 * nsqd configured with nsqlookupd creates, with each new topic, the channels nsqlookupd
 * knows for it, so declared channels reach a node that joins later as soon as the topic
 * appears there. Without nsqlookupd, call {@link NsqAdmin#declare(Collection)} (or
 * restart) after adding a node.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqDeclarer implements SmartLifecycle, ApplicationContextAware, NsqChannelDeclarer {

	/**
	 * Phase: before the listener containers and the web server.
	 */
	public static final int DEFAULT_PHASE = Integer.MIN_VALUE + 1000;

	/** Default pause between retries of failed declarations: 30 seconds. */
	public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);

	private static final LogAccessor logger = new LogAccessor(NsqDeclarer.class);

	private final NsqAdmin admin;

	private final ReentrantLock lock = new ReentrantLock();

	private final Set<NsqDeclarable> pending = new LinkedHashSet<>();

	private List<NsqDeclarable> declarables = List.of();

	private @Nullable ApplicationContext applicationContext;

	private boolean failOnError;

	private Duration retryInterval = DEFAULT_RETRY_INTERVAL;

	private int phase = DEFAULT_PHASE;

	private @Nullable ScheduledExecutorService retries;

	private @Nullable Thread retryThread;

	private volatile boolean running;

	/**
	 * Create a declarer.
	 * @param admin the admin that creates topics and channels
	 */
	public NsqDeclarer(NsqAdmin admin) {
		Assert.notNull(admin, "'admin' must not be null");
		this.admin = admin;
	}

	/**
	 * Declarations made at start besides the {@link NsqDeclarable} and
	 * {@link NsqDeclarables} beans.
	 * @param declarables the declarations
	 */
	public void setDeclarables(Collection<? extends NsqDeclarable> declarables) {
		Assert.notNull(declarables, "'declarables' must not be null");
		this.declarables = List.copyOf(declarables);
	}

	/**
	 * Whether a failed declaration fails the start (default false: logged and retried in
	 * the background).
	 * @param failOnError {@code true} to fail startup
	 */
	public void setFailOnError(boolean failOnError) {
		this.failOnError = failOnError;
	}

	/**
	 * The pause between retries of failed declarations (default 30 seconds).
	 * @param retryInterval a positive duration
	 */
	public void setRetryInterval(Duration retryInterval) {
		Assert.isTrue(retryInterval != null && !retryInterval.isNegative() && !retryInterval.isZero(),
				() -> "'retryInterval' must be positive, was " + retryInterval);
		this.retryInterval = retryInterval;
	}

	/**
	 * Set the lifecycle phase (default {@link #DEFAULT_PHASE}).
	 * @param phase the phase
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
		this.applicationContext = applicationContext;
	}

	/**
	 * The declarations made at start: those given and those of the application context.
	 * @return the declarations, without duplicates
	 */
	public List<NsqDeclarable> getDeclarables() {
		Set<NsqDeclarable> all = new LinkedHashSet<>(this.declarables);
		ApplicationContext context = this.applicationContext;
		if (context != null) {
			all.addAll(context.getBeansOfType(NsqDeclarable.class, false, false).values());
			for (NsqDeclarables group : context.getBeansOfType(NsqDeclarables.class, false, false).values()) {
				all.addAll(group.getDeclarables());
			}
		}
		return List.copyOf(all);
	}

	/**
	 * Whether declarations are being retried in the background.
	 * @return {@code true} while a failed declaration waits for its next attempt
	 */
	public boolean isRetrying() {
		this.lock.lock();
		try {
			return !this.pending.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		List<NsqDeclarable> all = getDeclarables();
		this.running = true;
		if (all.isEmpty()) {
			return;
		}
		if (!this.admin.hasNodeSources()) {
			String reason = "no nsqd HTTP address (nsq.nsqd.http-addresses) or nsqlookupd address "
					+ "(nsq.lookupd.addresses) is configured";
			if (this.failOnError) {
				throw new IllegalStateException("Cannot declare " + all + ": " + reason);
			}
			logger.warn(() -> "Not declaring " + all + ": " + reason);
			return;
		}
		declare(all, true);
	}

	@Override
	public void declareChannel(String topic, String channel) {
		if (NsqNames.isEphemeral(topic) || NsqNames.isEphemeral(channel) || !this.admin.hasNodeSources()) {
			// the consumer's SUB creates what it needs; nothing else can be declared
			return;
		}
		declare(List.of(new NsqChannel(topic, channel)), false);
	}

	private void declare(List<NsqDeclarable> declarations, boolean required) {
		try {
			List<String> nodes = this.admin.declare(declarations);
			if (nodes.isEmpty()) {
				if (required) {
					failed(declarations, new NsqAdminException("Cannot declare " + declarations,
							List.of("nsqlookupd " + this.admin.getLookupdAddresses() + " lists no nsqd yet")));
				}
				return;
			}
			if (required) {
				logger.info(() -> "Declared " + declarations + " on " + nodes);
			}
			else {
				logger.debug(() -> "Declared listener " + declarations + " on " + nodes);
			}
		}
		catch (NsqAdminException ex) {
			failed(declarations, ex);
		}
	}

	private void failed(List<NsqDeclarable> declarations, NsqAdminException ex) {
		if (this.failOnError) {
			throw ex;
		}
		logger.warn(() -> ex.getMessage() + "; retrying every " + this.retryInterval
				+ " (set nsq.admin.fail-on-error=true to fail startup instead)");
		this.lock.lock();
		try {
			this.pending.addAll(declarations);
			if (this.retries == null && this.running) {
				ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
					Thread thread = new Thread(runnable, "nsq-admin-declare");
					thread.setDaemon(true);
					this.retryThread = thread;
					return thread;
				});
				long millis = this.retryInterval.toMillis();
				executor.scheduleWithFixedDelay(this::retry, millis, millis, TimeUnit.MILLISECONDS);
				this.retries = executor;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void retry() {
		List<NsqDeclarable> declarations;
		this.lock.lock();
		try {
			declarations = new ArrayList<>(this.pending);
		}
		finally {
			this.lock.unlock();
		}
		if (declarations.isEmpty()) {
			return;
		}
		List<String> nodes;
		try {
			nodes = this.admin.declare(declarations);
		}
		catch (RuntimeException ex) {
			logger.warn(() -> ex.getMessage() + "; retrying in " + this.retryInterval);
			return;
		}
		if (nodes.isEmpty()) {
			logger.debug(() -> "No nsqd listed by nsqlookupd yet to declare " + declarations + " on");
			return;
		}
		logger.info(() -> "Declared " + declarations + " on " + nodes + " after retrying");
		this.lock.lock();
		try {
			declarations.forEach(this.pending::remove);
			if (this.pending.isEmpty()) {
				stopRetries();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledExecutorService executor;
		Thread thread;
		this.lock.lock();
		try {
			thread = this.retryThread;
			this.retryThread = null;
			executor = stopRetries();
			this.pending.clear();
		}
		finally {
			this.lock.unlock();
		}
		if (executor != null) {
			try {
				// a retry under way ends within the admin's request timeouts; the
				// thread itself ends just after the executor reports termination
				if (executor.awaitTermination(1, TimeUnit.MINUTES) && thread != null) {
					thread.join(TimeUnit.SECONDS.toMillis(5));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private @Nullable ScheduledExecutorService stopRetries() {
		ScheduledExecutorService executor = this.retries;
		if (executor != null) {
			executor.shutdownNow();
			this.retries = null;
		}
		return executor;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "NsqDeclarer[" + this.admin + "]";
	}

}
