package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Owns the listener containers of {@code @NsqListener} endpoints (they are not beans),
 * finds them by id, and starts and stops them with the application context: late start,
 * early stop ({@link NsqMessageListenerContainer#DEFAULT_PHASE}). {@link #stop(Runnable)}
 * stops every container at once and calls back when the last one has drained (including
 * one whose stop was already under way), so the drains run in parallel and the context
 * goes on to earlier phases (a web server's graceful shutdown, executors) only after
 * them. Spring waits for a phase at most
 * {@code spring.lifecycle.timeout-per-shutdown-phase}; it should be at least the
 * containers' shutdown timeout plus {@link NsqMessageListenerContainer#STOP_GRACE}. When
 * it is shorter and a drain outlasts it, the context moves on, and {@link #destroy()}
 * waits for the drains to end before the listener beans are destroyed.
 *
 * <pre>{@code
 * registry.getListenerContainer("billing").pause();
 * }</pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqListenerEndpointRegistry
		implements SmartLifecycle, DisposableBean, ApplicationListener<ContextRefreshedEvent> {

	private static final LogAccessor logger = new LogAccessor(NsqListenerEndpointRegistry.class);

	private final Map<String, NsqMessageListenerContainer> containers = new LinkedHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private int phase = NsqMessageListenerContainer.DEFAULT_PHASE;

	private volatile boolean running;

	private volatile boolean contextRefreshed;

	/**
	 * Create the container of an endpoint and register it.
	 * @param endpoint the endpoint, with an id
	 * @param factory the factory to create the container with
	 * @param startImmediately whether to start it now (used for endpoints registered
	 * after the context started), if it auto-starts
	 * @return the container
	 * @throws IllegalStateException when another container has the same id
	 */
	public NsqMessageListenerContainer registerListenerContainer(NsqListenerEndpoint endpoint,
			NsqListenerContainerFactory<?> factory, boolean startImmediately) {
		Assert.hasText(endpoint.getId(), "Endpoint id must not be empty");
		this.lock.lock();
		try {
			String id = endpoint.getId();
			Assert.state(!this.containers.containsKey(id),
					() -> "Another NSQ listener container is already registered with id '" + id + "'");
			NsqMessageListenerContainer container = factory.createListenerContainer(endpoint);
			this.containers.put(id, container);
			if (startImmediately && container.isAutoStartup()) {
				container.start();
			}
			return container;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The container with an id.
	 * @param id the listener id
	 * @return the container, or {@code null}
	 */
	public @Nullable NsqMessageListenerContainer getListenerContainer(String id) {
		this.lock.lock();
		try {
			return this.containers.get(id);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The ids of all containers.
	 * @return the ids, in registration order
	 */
	public Set<String> getListenerContainerIds() {
		this.lock.lock();
		try {
			return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(this.containers.keySet()));
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * All containers.
	 * @return the containers, in registration order
	 */
	public Collection<NsqMessageListenerContainer> getListenerContainers() {
		this.lock.lock();
		try {
			return List.copyOf(this.containers.values());
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Pause every container (RDY 0).
	 */
	public void pause() {
		getListenerContainers().forEach(NsqMessageListenerContainer::pause);
	}

	/**
	 * Resume every paused container.
	 */
	public void resume() {
		getListenerContainers().forEach(NsqMessageListenerContainer::resume);
	}

	/**
	 * Set the lifecycle phase (default
	 * {@link NsqMessageListenerContainer#DEFAULT_PHASE}).
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
	public boolean isAutoStartup() {
		return true;
	}

	/**
	 * Whether the context has been refreshed, so later endpoints start at once.
	 * @return {@code true} after the first refresh
	 */
	public boolean isContextRefreshed() {
		return this.contextRefreshed;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		this.contextRefreshed = true;
	}

	@Override
	public void start() {
		for (NsqMessageListenerContainer container : getListenerContainers()) {
			if (container.isAutoStartup()) {
				container.start();
			}
		}
		this.running = true;
	}

	/**
	 * Stop every container at once and wait until all have stopped (each at most its
	 * shutdown timeout plus {@link NsqMessageListenerContainer#STOP_GRACE}).
	 */
	@Override
	public void stop() {
		Collection<NsqMessageListenerContainer> containers = getListenerContainers();
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		Duration longest = Duration.ZERO;
		for (NsqMessageListenerContainer container : containers) {
			Duration timeout = container.getContainerProperties().getShutdownTimeout();
			longest = (timeout.compareTo(longest) > 0) ? timeout : longest;
		}
		try {
			if (!stopped.await(longest.plus(NsqMessageListenerContainer.STOP_GRACE).toMillis(),
					TimeUnit.MILLISECONDS)) {
				logger.warn("NSQ listener containers did not all stop in time");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop every container at once; the callback runs when the last one has stopped
	 * (drained, requeued what was left at its shutdown timeout, closed its connections),
	 * also for containers whose stop was already under way.
	 * @param callback what to run once every container has stopped
	 */
	@Override
	public void stop(Runnable callback) {
		this.running = false;
		Collection<NsqMessageListenerContainer> containers = getListenerContainers();
		if (containers.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(containers.size());
		for (NsqMessageListenerContainer container : containers) {
			// a stopped container calls back at once, one that is stopping when it is
			// done
			container.stop(() -> {
				if (remaining.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void destroy() {
		for (NsqMessageListenerContainer container : getListenerContainers()) {
			try {
				container.destroy();
			}
			catch (Exception ex) {
				logger.warn(ex, () -> "Failed to destroy listener container '" + container.getListenerId() + "'");
			}
		}
	}

}
