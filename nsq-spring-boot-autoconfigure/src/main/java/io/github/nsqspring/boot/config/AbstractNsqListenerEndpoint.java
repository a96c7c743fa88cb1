package io.github.nsqspring.boot.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import org.jspecify.annotations.Nullable;

/**
 * Base of {@link NsqListenerEndpoint} implementations: plain settable properties.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public abstract class AbstractNsqListenerEndpoint implements NsqListenerEndpoint {

	private String id = "";

	private String topic = "";

	private @Nullable String channel;

	private @Nullable Integer concurrency;

	private @Nullable Integer maxInFlight;

	private @Nullable Integer maxAttempts;

	private @Nullable Boolean autoStartup;

	private final Map<String, String> consumerProperties = new LinkedHashMap<>();

	private @Nullable Boolean batchListener;

	private @Nullable Integer batchSize;

	private @Nullable Duration batchTimeout;

	private @Nullable NsqMessageFilterStrategy filterStrategy;

	@Override
	public String getId() {
		return this.id;
	}

	public void setId(String id) {
		this.id = id;
	}

	@Override
	public String getTopic() {
		return this.topic;
	}

	public void setTopic(String topic) {
		this.topic = topic;
	}

	@Override
	public @Nullable String getChannel() {
		return this.channel;
	}

	public void setChannel(@Nullable String channel) {
		this.channel = channel;
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(@Nullable Integer concurrency) {
		this.concurrency = concurrency;
	}

	@Override
	public @Nullable Integer getMaxInFlight() {
		return this.maxInFlight;
	}

	public void setMaxInFlight(@Nullable Integer maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	@Override
	public @Nullable Integer getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(@Nullable Integer maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	@Override
	public @Nullable Boolean getAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(@Nullable Boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public Map<String, String> getConsumerProperties() {
		return Collections.unmodifiableMap(this.consumerProperties);
	}

	/**
	 * Consumer options of this listener by go-nsq name, replacing any set before.
	 * @param consumerProperties the options
	 */
	public void setConsumerProperties(Map<String, String> consumerProperties) {
		this.consumerProperties.clear();
		this.consumerProperties.putAll(consumerProperties);
	}

	@Override
	public @Nullable Boolean getBatchListener() {
		return this.batchListener;
	}

	public void setBatchListener(@Nullable Boolean batchListener) {
		this.batchListener = batchListener;
	}

	@Override
	public @Nullable Integer getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(@Nullable Integer batchSize) {
		this.batchSize = batchSize;
	}

	@Override
	public @Nullable Duration getBatchTimeout() {
		return this.batchTimeout;
	}

	public void setBatchTimeout(@Nullable Duration batchTimeout) {
		this.batchTimeout = batchTimeout;
	}

	@Override
	public @Nullable NsqMessageFilterStrategy getFilterStrategy() {
		return this.filterStrategy;
	}

	public void setFilterStrategy(@Nullable NsqMessageFilterStrategy filterStrategy) {
		this.filterStrategy = filterStrategy;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[id=" + this.id + ", topic=" + this.topic + ", channel=" + this.channel
				+ "]";
	}

}
