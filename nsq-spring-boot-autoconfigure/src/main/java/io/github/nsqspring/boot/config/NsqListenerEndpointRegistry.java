package io.github.nsqspring.boot.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * stops every container at once and calls back when the last one drained, so the drains
 * run in parallel within {@code spring.lifecycle.timeout-per-shutdown-phase}.
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

	@Override
	public void stop() {
		this.running = false;
		for (NsqMessageListenerContainer container : getListenerContainers()) {
			container.stop();
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<NsqMessageListenerContainer> running = new ArrayList<>();
		for (NsqMessageListenerContainer container : getListenerContainers()) {
			if (container.isRunning()) {
				running.add(container);
			}
		}
		if (running.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(running.size());
		for (NsqMessageListenerContainer container : running) {
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
