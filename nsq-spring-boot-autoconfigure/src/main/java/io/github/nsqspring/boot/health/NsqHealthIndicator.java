package io.github.nsqspring.boot.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.ConsumerStats;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.lookup.NsqdNode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of NSQ from the application's point of view: can it publish?
 * <ul>
 * <li><b>nsqd</b>: {@code GET /ping} on every configured nsqd HTTP address; when none is
 * configured but nsqlookupd is, on every nsqd that nsqlookupd lists ({@code /nodes}),
 * which are the nodes a producer over nsqlookupd publishes to. UP while at least one nsqd
 * answers {@code OK}; DOWN when none does, when nsqlookupd cannot be asked, or when it
 * lists no nsqd; UNKNOWN when neither an nsqd HTTP address nor an nsqlookupd address is
 * configured. Each nsqd is a detail ({@code OK} or the error).</li>
 * <li><b>nsqlookupd</b>: {@code GET /ping} on each address, as a detail only: when it is
 * down, existing connections keep working, only discovery stops.</li>
 * <li><b>listeners</b> (when containers are given): per container id its state
 * ({@code running}, {@code paused} or {@code stopped}), topic, channel, open connections
 * and messages in flight, as details only: a stopped container is not an outage of
 * NSQ.</li>
 * </ul>
 * Every call is bounded by the timeout per request; nothing is cached.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqHealthIndicator extends AbstractHealthIndicator {

	private final List<String> nsqdHttpAddresses;

	private final List<String> lookupdAddresses;

	private final Duration timeout;

	private final HttpClient httpClient;

	private final @Nullable LookupdClient lookupdClient;

	private Supplier<Collection<? extends NsqMessageListenerContainer>> containers = Collections::emptyList;

	/**
	 * Create an indicator.
	 * @param nsqdHttpAddresses nsqd HTTP addresses ({@code host:port})
	 * @param lookupdAddresses nsqlookupd HTTP addresses ({@code host:port} or URLs)
	 * @param timeout longest wait for one answer
	 */
	public NsqHealthIndicator(List<String> nsqdHttpAddresses, List<String> lookupdAddresses, Duration timeout) {
		this(nsqdHttpAddresses, lookupdAddresses, timeout, NsqConfig.defaults());
	}

	/**
	 * Create an indicator that asks nsqlookupd with the client settings of the
	 * application (its auth secret, TLS).
	 * @param nsqdHttpAddresses nsqd HTTP addresses ({@code host:port})
	 * @param lookupdAddresses nsqlookupd HTTP addresses ({@code host:port} or URLs)
	 * @param timeout longest wait for one answer
	 * @param config the client configuration
	 */
	public NsqHealthIndicator(List<String> nsqdHttpAddresses, List<String> lookupdAddresses, Duration timeout,
			NsqConfig config) {
		super("NSQ health check failed");
		Assert.notNull(timeout, "'timeout' must not be null");
		Assert.notNull(config, "'config' must not be null");
		this.nsqdHttpAddresses = List.copyOf(nsqdHttpAddresses);
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
		this.timeout = timeout;
		this.httpClient = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.lookupdClient = lookupdAddresses.isEmpty() ? null : new LookupdClient(this.lookupdAddresses,
				config.toBuilder().lookupd((lookupd) -> lookupd.pollTimeout(timeout)).build());
	}

	/**
	 * Report the state of these listener containers as details.
	 * @param containers supplies the containers (read at each check)
	 */
	public void setListenerContainers(Supplier<Collection<? extends NsqMessageListenerContainer>> containers) {
		Assert.notNull(containers, "'containers' must not be null");
		this.containers = containers;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, String> lookupd = new LinkedHashMap<>();
		for (String address : this.lookupdAddresses) {
			lookupd.put(address, ping(address));
		}
		if (!lookupd.isEmpty()) {
			builder.withDetail("nsqlookupd", lookupd);
		}
		Map<String, Object> listeners = listenerDetails();
		if (!listeners.isEmpty()) {
			builder.withDetail("listeners", listeners);
		}
		List<String> nsqdAddresses = this.nsqdHttpAddresses;
		if (nsqdAddresses.isEmpty()) {
			if (this.lookupdClient == null) {
				builder.unknown()
					.withDetail("reason", "no nsqd HTTP address (nsq.nsqd.http-addresses) or nsqlookupd address "
							+ "(nsq.lookupd.addresses) configured");
				return;
			}
			try {
				nsqdAddresses = this.lookupdClient.nodes().stream().map(NsqdNode::httpAddress).distinct().toList();
			}
			catch (RuntimeException ex) {
				builder.down().withDetail("reason", "cannot list nsqd through nsqlookupd: " + ex.getMessage());
				return;
			}
			if (nsqdAddresses.isEmpty()) {
				builder.down().withDetail("reason", "no nsqd is registered with nsqlookupd");
				return;
			}
		}
		Map<String, String> nsqd = new LinkedHashMap<>();
		boolean anyUp = false;
		for (String address : nsqdAddresses) {
			String status = ping(address);
			nsqd.put(address, status);
			anyUp |= "OK".equals(status);
		}
		(anyUp ? builder.up() : builder.down()).withDetail("nsqd", nsqd);
	}

	private Map<String, Object> listenerDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		List<NsqMessageListenerContainer> containers = new ArrayList<>(this.containers.get());
		for (NsqMessageListenerContainer container : containers) {
			Map<String, Object> detail = new LinkedHashMap<>();
			String state = !container.isRunning() ? "stopped" : container.isPaused() ? "paused" : "running";
			detail.put("state", state);
			detail.put("topic", container.getContainerProperties().getTopic());
			detail.put("channel", container.getContainerProperties().getChannel());
			ConsumerStats stats = container.getStats();
			if (stats != null) {
				detail.put("connections", stats.connections());
				detail.put("inFlight", stats.inFlight());
			}
			details.put(container.getListenerId(), detail);
		}
		return details;
	}

	private String ping(String address) {
		String base = address.contains("://") ? address : "http://" + address;
		try {
			HttpResponse<String> response = this.httpClient.send(
					HttpRequest.newBuilder(URI.create(base + "/ping")).timeout(this.timeout).GET().build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			String body = response.body().trim();
			return (response.statusCode() == 200) ? body : "HTTP " + response.statusCode() + ": " + body;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		catch (Exception ex) {
			return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
		}
	}

}
