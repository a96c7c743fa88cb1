package io.github.nsqspring.samples;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;

/**
 * Creates the topic and both channels on every nsqd (HTTP {@code /topic/create} and
 * {@code /channel/create}) before the first order is published.
 * <p>
 * Why: a channel only receives messages published after it exists. Listeners that find
 * nsqd through nsqlookupd create their channel when they first see the topic, which is
 * after the first publish, so without this the first orders would reach only the channel
 * that happened to subscribe first. Production systems create channels ahead of time the
 * same way (or through nsqadmin); channels are durable state on nsqd.
 */
@Component
class ChannelProvisioner {

	static final List<String> CHANNELS = List.of("billing", "audit");

	private static final Log logger = LogFactory.getLog(ChannelProvisioner.class);

	private final NsqConnectionDetails connectionDetails;

	private volatile boolean provisioned;

	ChannelProvisioner(NsqConnectionDetails connectionDetails) {
		this.connectionDetails = connectionDetails;
	}

	/**
	 * Create the topic and channels once; a failure is logged and retried on the next
	 * call.
	 * @param topic the topic
	 */
	void provision(String topic) {
		if (this.provisioned) {
			return;
		}
		List<String> nsqdHttpAddresses = this.connectionDetails.getNsqdHttpAddresses();
		if (nsqdHttpAddresses.isEmpty()) {
			logger.info("No nsq.nsqd.http-addresses configured: not creating channels " + CHANNELS
					+ " ahead of time; the first orders may reach only one channel");
			this.provisioned = true;
			return;
		}
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		try {
			for (String address : nsqdHttpAddresses) {
				post(http, address, "/topic/create?topic=" + encode(topic));
				for (String channel : CHANNELS) {
					post(http, address, "/channel/create?topic=" + encode(topic) + "&channel=" + encode(channel));
				}
			}
			logger.info("Created topic " + topic + " with channels " + CHANNELS + " on " + nsqdHttpAddresses);
			this.provisioned = true;
		}
		catch (IOException ex) {
			logger.warn("Could not create channels on nsqd yet (" + ex.getMessage() + "); retrying");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void post(HttpClient http, String address, String pathAndQuery)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery))
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("nsqd " + address + " answered " + response.statusCode() + " to " + pathAndQuery
					+ ": " + response.body());
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
