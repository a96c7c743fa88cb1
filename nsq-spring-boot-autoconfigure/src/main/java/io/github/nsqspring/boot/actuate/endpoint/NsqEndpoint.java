package io.github.nsqspring.boot.actuate.endpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.consumer.ConnectionStats;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.ProducerNodeStats;
import io.github.nsqspring.core.producer.ProducerStats;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * The {@code nsq} actuator endpoint: what the application's NSQ clients are doing now, as
 * they see it, next to what nsqd's {@code /stats} shows from the other side.
 * <ul>
 * <li>{@code GET /actuator/nsq}: every listener container (its id, topic, channel, state
 * and, while it runs, its message counts and per nsqd connection the RDY count, messages
 * in flight, finished and requeued, and the last error) and every {@link NsqProducer}
 * bean (messages published and failed, publishes awaiting an answer, and per nsqd its
 * state, counts and last error);</li>
 * <li>{@code GET /actuator/nsq/{id}}: one listener container, 404 when there is none with
 * that id;</li>
 * <li>{@code POST /actuator/nsq/{id}} with {@code {"state": "paused"}} or
 * {@code {"state": "resumed"}}: pause the container (RDY 0 on every connection: nsqd
 * sends nothing more, messages already delivered are still processed) or resume it;
 * answers the container's view after the change, 404 for an unknown id, 400 for another
 * state.</li>
 * </ul>
 * Like every endpoint it is reachable only once exposed
 * ({@code management.endpoints.web.exposure.include=nsq}). Its default access is
 * <b>read-only</b>: pausing and resuming need
 * {@code management.endpoint.nsq.access=unrestricted} (or
 * {@code management.endpoints.access.default=unrestricted}); until then the write
 * operation is not mapped at all.
 * <p>
 * The view holds counts, states, names and addresses only: no configuration, so never the
 * auth secret or TLS material, and no message bodies. The last errors are the messages
 * the client keeps, which never contain secrets either.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@Endpoint(id = "nsq", defaultAccess = Access.READ_ONLY)
public class NsqEndpoint {

	private final Supplier<? extends Collection<? extends NsqMessageListenerContainer>> containers;

	private final Supplier<? extends Map<String, ? extends NsqProducer>> producers;

	/**
	 * Create the endpoint. Both suppliers are called at each request, so containers
	 * registered after startup are seen.
	 * @param containers the listener containers, in the order to show them (for
	 * {@code @NsqListener} methods:
	 * {@link io.github.nsqspring.boot.config.NsqListenerEndpointRegistry#getListenerContainers()})
	 * @param producers the producers by bean name
	 */
	public NsqEndpoint(Supplier<? extends Collection<? extends NsqMessageListenerContainer>> containers,
			Supplier<? extends Map<String, ? extends NsqProducer>> producers) {
		Assert.notNull(containers, "'containers' must not be null");
		Assert.notNull(producers, "'producers' must not be null");
		this.containers = containers;
		this.producers = producers;
	}

	/**
	 * Every listener container and producer.
	 * @return the view
	 */
	@ReadOperation
	public NsqDescriptor nsq() {
		Map<String, ListenerDescriptor> listeners = new LinkedHashMap<>();
		for (NsqMessageListenerContainer container : this.containers.get()) {
			listeners.putIfAbsent(container.getListenerId(), describe(container));
		}
		Map<String, ProducerDescriptor> producers = new LinkedHashMap<>();
		this.producers.get().forEach((name, producer) -> {
			ProducerStats stats = producer.stats();
			if (stats != null) {
				producers.put(name, ProducerDescriptor.of(stats));
			}
		});
		return new NsqDescriptor(listeners, producers);
	}

	/**
	 * One listener container.
	 * @param id the listener id
	 * @return the container's view, or {@code null} when no container has that id
	 */
	@ReadOperation
	public @Nullable ListenerDescriptor listener(@Selector String id) {
		NsqMessageListenerContainer container = find(id);
		return (container != null) ? describe(container) : null;
	}

	/**
	 * Pause or resume one listener container. Pausing sets RDY 0 on every connection, so
	 * nsqd sends nothing more while messages already delivered are still processed;
	 * pausing a container that is not running makes it start paused. Both are no-ops when
	 * the container is already in that state.
	 * @param id the listener id
	 * @param state {@code paused} or {@code resumed} (any case)
	 * @return the container's view after the change, or {@code null} when no container
	 * has that id
	 * @throws InvalidEndpointRequestException when the state is neither
	 */
	@WriteOperation
	public @Nullable ListenerDescriptor changeListenerState(@Selector String id, String state) {
		ListenerStateChange change = ListenerStateChange.of(id, state);
		NsqMessageListenerContainer container = find(id);
		if (container == null) {
			return null;
		}
		if (change == ListenerStateChange.PAUSED) {
			container.pause();
		}
		else {
			container.resume();
		}
		return describe(container);
	}

	private @Nullable NsqMessageListenerContainer find(String id) {
		for (NsqMessageListenerContainer container : this.containers.get()) {
			if (container.getListenerId().equals(id)) {
				return container;
			}
		}
		return null;
	}

	private static ListenerDescriptor describe(NsqMessageListenerContainer container) {
		ListenerState state = !container.isRunning() ? ListenerState.STOPPED
				: container.isPaused() ? ListenerState.PAUSED : ListenerState.RUNNING;
		return ListenerDescriptor.of(container.getListenerId(), container.getContainerProperties().getTopic(),
				container.getContainerProperties().getChannel(), state,
				container.getContainerProperties().getMaxInFlight(), container.getStats());
	}

	/**
	 * What a listener container is doing.
	 */
	public enum ListenerState {

		/** Running and asking nsqd for messages. */
		RUNNING,

		/** Running with RDY 0: connected, but nsqd sends nothing. */
		PAUSED,

		/** Not running (not started yet, or stopped): no connections. */
		STOPPED

	}

	/**
	 * The state a write operation asks for.
	 */
	private enum ListenerStateChange {

		PAUSED, RESUMED;

		static ListenerStateChange of(String id, String state) {
			for (ListenerStateChange change : values()) {
				if (change.name().equalsIgnoreCase(state.trim())) {
					return change;
				}
			}
			throw new InvalidEndpointRequestException(
					"Unknown state '" + state + "' for NSQ listener '" + id + "': expected 'paused' or 'resumed'",
					"Unknown state '" + state + "': expected 'paused' or 'resumed'");
		}

	}

	/**
	 * The whole view.
	 *
	 * @param listeners the listener containers by listener id
	 * @param producers the producers by bean name
	 */
	public record NsqDescriptor(Map<String, ListenerDescriptor> listeners,
			Map<String, ProducerDescriptor> producers) implements OperationResponseBody {

	}

	/**
	 * One listener container. The message counts are those of its current consumer, which
	 * the container creates at each start; they are {@code null} while it is not running.
	 *
	 * @param id the listener id
	 * @param topic the topic
	 * @param channel the channel
	 * @param state running, paused or stopped
	 * @param maxInFlight the most messages in flight it asks for, over all connections
	 * (the RDY counts add up to it while running and not paused or backing off)
	 * @param received messages received from nsqd
	 * @param finished messages finished
	 * @param requeued messages requeued
	 * @param failed messages given up on after max attempts
	 * @param inFlight messages received and not answered yet
	 * @param rdy the sum of the RDY counts sent
	 * @param connections one entry per nsqd the consumer is connected to, connecting to
	 * or gave up on; empty while not running
	 */
	public record ListenerDescriptor(String id, String topic, String channel, ListenerState state, int maxInFlight,
			@Nullable Long received, @Nullable Long finished, @Nullable Long requeued, @Nullable Long failed,
			@Nullable Long inFlight, @Nullable Long rdy,
			List<ConnectionDescriptor> connections) implements OperationResponseBody {

		static ListenerDescriptor of(String id, String topic, String channel, ListenerState state, int maxInFlight,
				@Nullable ConsumerStats stats) {
			if (stats == null) {
				return new ListenerDescriptor(id, topic, channel, state, maxInFlight, null, null, null, null, null,
						null, List.of());
			}
			List<ConnectionDescriptor> connections = new ArrayList<>();
			for (ConnectionStats connection : stats.nsqd()) {
				connections.add(ConnectionDescriptor.of(connection));
			}
			return new ListenerDescriptor(id, topic, channel, state, maxInFlight, stats.received(), stats.finished(),
					stats.requeued(), stats.failed(), stats.inFlight(), stats.rdy(), connections);
		}

	}

	/**
	 * A listener container's consumer and one nsqd. Counts are those of the current
	 * connection: they start at 0 when it reconnects.
	 *
	 * @param nsqd the nsqd TCP address
	 * @param state connected, draining, retrying or failed (given up)
	 * @param rdy the RDY count last sent (0 unless connected)
	 * @param inFlight messages received on this connection and not answered yet
	 * @param finished messages finished on this connection
	 * @param requeued messages requeued on this connection
	 * @param lastError the last error of this nsqd (message only), or {@code null}
	 */
	public record ConnectionDescriptor(String nsqd, ConnectionStats.State state, long rdy, long inFlight, long finished,
			long requeued, @Nullable String lastError) {

		static ConnectionDescriptor of(ConnectionStats stats) {
			return new ConnectionDescriptor(stats.nsqdAddress(), stats.state(), stats.rdy(), stats.inFlight(),
					stats.finished(), stats.requeued(), stats.lastError());
		}

	}

	/**
	 * One producer ({@link ProducerStats}).
	 *
	 * @param published messages nsqd acknowledged
	 * @param failed messages whose publish failed for their caller
	 * @param pending publish calls awaiting nsqd's answer
	 * @param nodes one entry per nsqd it publishes to
	 */
	public record ProducerDescriptor(long published, long failed, long pending, List<ProducerNodeDescriptor> nodes) {

		static ProducerDescriptor of(ProducerStats stats) {
			List<ProducerNodeDescriptor> nodes = new ArrayList<>();
			for (ProducerNodeStats node : stats.nodes()) {
				nodes.add(new ProducerNodeDescriptor(node.nsqdAddress(), node.state(), node.pending(), node.published(),
						node.failed(), node.lastError()));
			}
			return new ProducerDescriptor(stats.published(), stats.failed(), stats.pending(), nodes);
		}

	}

	/**
	 * A producer and one nsqd ({@link ProducerNodeStats}).
	 *
	 * @param nsqd the nsqd TCP address
	 * @param state connected, not connected (it connects on the next publish), retrying
	 * or closed
	 * @param pending publish calls awaiting this nsqd's answer
	 * @param published messages this nsqd acknowledged
	 * @param failed messages whose publish failed on this nsqd
	 * @param lastError the last error since the connection was opened (message only), or
	 * {@code null}
	 */
	public record ProducerNodeDescriptor(String nsqd, ProducerNodeStats.State state, long pending, long published,
			long failed, @Nullable String lastError) {

	}

}
