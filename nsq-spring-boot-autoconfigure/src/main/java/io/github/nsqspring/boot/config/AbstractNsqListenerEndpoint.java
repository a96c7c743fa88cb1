package io.github.nsqspring.boot.config;

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
	public String toString() {
		return getClass().getSimpleName() + "[id=" + this.id + ", topic=" + this.topic + ", channel=" + this.channel
				+ "]";
	}

}
