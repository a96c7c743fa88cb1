package io.github.nsqspring.boot.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of NSQ from the application's point of view: {@code GET /ping} on every nsqd
 * HTTP address (and nsqlookupd address). UP while at least one nsqd answers {@code OK};
 * DOWN when none does; UNKNOWN when no nsqd HTTP address is configured. Each node is a
 * detail ({@code OK} or the error). nsqlookupd is reported as a detail only: when it is
 * down, existing connections keep working, only discovery of new nsqd stops.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqHealthIndicator extends AbstractHealthIndicator {

	private final List<String> nsqdHttpAddresses;

	private final List<String> lookupdAddresses;

	private final Duration timeout;

	private final HttpClient httpClient;

	/**
	 * Create an indicator.
	 * @param nsqdHttpAddresses nsqd HTTP addresses ({@code host:port})
	 * @param lookupdAddresses nsqlookupd HTTP addresses ({@code host:port} or URLs)
	 * @param timeout longest wait for one answer
	 */
	public NsqHealthIndicator(List<String> nsqdHttpAddresses, List<String> lookupdAddresses, Duration timeout) {
		super("NSQ health check failed");
		Assert.notNull(timeout, "'timeout' must not be null");
		this.nsqdHttpAddresses = List.copyOf(nsqdHttpAddresses);
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
		this.timeout = timeout;
		this.httpClient = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.nsqdHttpAddresses.isEmpty()) {
			builder.unknown().withDetail("reason", "no nsqd HTTP address configured (nsq.nsqd.http-addresses)");
			return;
		}
		Map<String, String> nsqd = new LinkedHashMap<>();
		boolean anyUp = false;
		for (String address : this.nsqdHttpAddresses) {
			String status = ping(address);
			nsqd.put(address, status);
			anyUp |= "OK".equals(status);
		}
		Map<String, String> lookupd = new LinkedHashMap<>();
		for (String address : this.lookupdAddresses) {
			lookupd.put(address, ping(address));
		}
		(anyUp ? builder.up() : builder.down()).withDetail("nsqd", nsqd);
		if (!lookupd.isEmpty()) {
			builder.withDetail("nsqlookupd", lookupd);
		}
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
