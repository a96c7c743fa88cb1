package io.github.nsqspring.core.config;

import java.util.Objects;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqConfigException;

/**
 * Everything a producer or consumer can be configured with, in four sections, each an
 * immutable value with its own builder and checks:
 * <ul>
 * <li>{@link #connection()}: how every connection to nsqd is opened and negotiated
 * (timeouts, heartbeats, identity, output buffering, sampling, compression, TLS, auth
 * secret);</li>
 * <li>{@link #lookupd()}: how nsqlookupd is polled;</li>
 * <li>{@link #consumer()}: how a consumer takes messages (max in flight, attempts,
 * requeue delays, backoff, RDY redistribution, msg timeout, max message size);</li>
 * <li>{@link #producer()}: how a producer publishes (this client's own options).</li>
 * </ul>
 * One {@code NsqConfig} is what users hand to {@code NsqProducer.builder()} and
 * {@code NsqConsumer.builder(...)}; a producer uses its connection, lookupd and producer
 * sections, a consumer its connection, lookupd and consumer sections. Immutable and
 * thread-safe.
 * <p>
 * Every go-nsq 1.1 option keeps its name, default, limits and checks (reference: go-nsq
 * {@code config.go}): {@link Builder#set(String, Object)} takes go-nsq's option names and
 * routes each to its section, so that existing tuning carries over; the typed way goes
 * through the sections' builders:
 *
 * <pre>{@code
 * NsqConfig config = NsqConfig.builder()
 *     .set("max_in_flight", 200)
 *     .set("msg_timeout", "90s")
 *     .connection((connection) -> connection.tlsV1(true).authSecret(secret))
 *     .build();
 * }</pre>
 *
 * An invalid value fails in {@link Builder#build()} (or in {@code set} when it cannot be
 * converted) with a {@link NsqConfigException} naming the option, the value and the
 * allowed range. Rules between options (such as {@code heartbeat_interval} at most
 * {@code read_timeout}, or snappy and deflate excluding each other) are checked by the
 * section that holds both options; no go-nsq rule spans two sections.
 * <p>
 * {@link #toString()} never shows the auth secret or key passwords.
 */
public final class NsqConfig {

	/** Version of this client, sent in the default {@code user_agent}. */
	public static final String CLIENT_VERSION = "0.1.0";

	private final NsqConnectionConfig connection;

	private final NsqLookupdConfig lookupd;

	private final NsqConsumerConfig consumer;

	private final NsqProducerConfig producer;

	private NsqConfig(NsqConnectionConfig connection, NsqLookupdConfig lookupd, NsqConsumerConfig consumer,
			NsqProducerConfig producer) {
		this.connection = connection;
		this.lookupd = lookupd;
		this.consumer = consumer;
		this.producer = producer;
	}

	/**
	 * A builder with go-nsq's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The configuration with every default.
	 * @return a new configuration
	 */
	public static NsqConfig defaults() {
		return builder().build();
	}

	/**
	 * A builder holding this configuration, to derive a changed copy.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * How connections to nsqd are opened and negotiated.
	 * @return the connection section
	 */
	public NsqConnectionConfig connection() {
		return this.connection;
	}

	/**
	 * How nsqlookupd is polled.
	 * @return the nsqlookupd section
	 */
	public NsqLookupdConfig lookupd() {
		return this.lookupd;
	}

	/**
	 * How a consumer takes messages.
	 * @return the consumer section
	 */
	public NsqConsumerConfig consumer() {
		return this.consumer;
	}

	/**
	 * How a producer publishes.
	 * @return the producer section
	 */
	public NsqProducerConfig producer() {
		return this.producer;
	}

	@Override
	public String toString() {
		return "NsqConfig[connection=" + this.connection + ", lookupd=" + this.lookupd + ", consumer=" + this.consumer
				+ ", producer=" + this.producer + "]";
	}

	/**
	 * Builder of {@link NsqConfig}, starting from go-nsq's defaults. It holds one builder
	 * per section; {@link #set(String, Object)} and the section methods change them, and
	 * {@link #build()} checks and builds them all.
	 */
	public static final class Builder {

		private NsqConnectionConfig.Builder connection;

		private NsqLookupdConfig.Builder lookupd;

		private NsqConsumerConfig.Builder consumer;

		private NsqProducerConfig.Builder producer;

		private Builder() {
			this.connection = NsqConnectionConfig.builder();
			this.lookupd = NsqLookupdConfig.builder();
			this.consumer = NsqConsumerConfig.builder();
			this.producer = NsqProducerConfig.builder();
		}

		private Builder(NsqConfig config) {
			this.connection = config.connection.toBuilder();
			this.lookupd = config.lookupd.toBuilder();
			this.consumer = config.consumer.toBuilder();
			this.producer = config.producer.toBuilder();
		}

		/**
		 * Set an option by its go-nsq name, e.g. {@code set("max_in_flight", 200)} or
		 * {@code set("msg_timeout", "90s")}; the option goes to the section that holds
		 * it. Durations accept Go duration strings, ISO-8601, integers (milliseconds) and
		 * {@link java.time.Duration}; booleans accept {@code true}/{@code false} and
		 * {@code 1}/{@code 0}; numbers accept numbers and numeric strings.
		 * @param option the go-nsq option name
		 * @param value the value
		 * @return this builder
		 * @throws NsqConfigException for an unknown option or a value of the wrong type
		 */
		public Builder set(String option, Object value) {
			Objects.requireNonNull(option, "option");
			if (!this.connection.setOption(option, value) && !this.lookupd.setOption(option, value)
					&& !this.consumer.setOption(option, value)) {
				throw new NsqConfigException("unknown option \"" + option + "\"");
			}
			return this;
		}

		/**
		 * Replace the connection section.
		 * @param connection the section
		 * @return this builder
		 */
		public Builder connection(NsqConnectionConfig connection) {
			this.connection = connection.toBuilder();
			return this;
		}

		/**
		 * Change the connection section, e.g.
		 * {@code connection((connection) -> connection.tlsV1(true))}.
		 * @param customizer receives the section's builder
		 * @return this builder
		 */
		public Builder connection(Consumer<NsqConnectionConfig.Builder> customizer) {
			customizer.accept(this.connection);
			return this;
		}

		/**
		 * Replace the nsqlookupd section.
		 * @param lookupd the section
		 * @return this builder
		 */
		public Builder lookupd(NsqLookupdConfig lookupd) {
			this.lookupd = lookupd.toBuilder();
			return this;
		}

		/**
		 * Change the nsqlookupd section, e.g.
		 * {@code lookupd((lookupd) -> lookupd.pollInterval(Duration.ofSeconds(15)))}.
		 * @param customizer receives the section's builder
		 * @return this builder
		 */
		public Builder lookupd(Consumer<NsqLookupdConfig.Builder> customizer) {
			customizer.accept(this.lookupd);
			return this;
		}

		/**
		 * Replace the consumer section.
		 * @param consumer the section
		 * @return this builder
		 */
		public Builder consumer(NsqConsumerConfig consumer) {
			this.consumer = consumer.toBuilder();
			return this;
		}

		/**
		 * Change the consumer section, e.g.
		 * {@code consumer((consumer) -> consumer.maxInFlight(200))}.
		 * @param customizer receives the section's builder
		 * @return this builder
		 */
		public Builder consumer(Consumer<NsqConsumerConfig.Builder> customizer) {
			customizer.accept(this.consumer);
			return this;
		}

		/**
		 * Replace the producer section.
		 * @param producer the section
		 * @return this builder
		 */
		public Builder producer(NsqProducerConfig producer) {
			this.producer = producer.toBuilder();
			return this;
		}

		/**
		 * Change the producer section, e.g.
		 * {@code producer((producer) -> producer.maxPendingCommands(1000))}.
		 * @param customizer receives the section's builder
		 * @return this builder
		 */
		public Builder producer(Consumer<NsqProducerConfig.Builder> customizer) {
			customizer.accept(this.producer);
			return this;
		}

		/**
		 * Check and build every section, then the configuration.
		 * @return the configuration
		 * @throws NsqConfigException naming the first invalid option, its value and the
		 * allowed range
		 */
		public NsqConfig build() {
			return new NsqConfig(this.connection.build(), this.lookupd.build(), this.consumer.build(),
					this.producer.build());
		}

	}

}
