package io.github.nsqspring.core.consumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.connection.NsqAddress;
import io.github.nsqspring.core.lookup.LookupdClient;
import io.github.nsqspring.core.protocol.NsqNames;

/**
 * Builds an {@link NsqConsumer}. Names are validated here, with a message naming the bad
 * value. See {@link NsqConsumer} for the consumer's threads (a started consumer keeps the
 * JVM alive until it is stopped), its stop and its failures.
 */
public final class NsqConsumerBuilder {

	final String topic;

	final String channel;

	NsqConfig config = NsqConfig.defaults();

	final List<String> nsqdAddresses = new ArrayList<>();

	final List<String> lookupdAddresses = new ArrayList<>();

	MessageHandler handler;

	FailedMessageHandler failedMessageHandler;

	int concurrency = 1;

	Executor executor;

	Duration shutdownTimeout = Duration.ofSeconds(30);

	UnaryOperator<List<String>> discoveryFilter = UnaryOperator.identity();

	ConsumerListener listener;

	Duration reconnectInitial = Duration.ofSeconds(1);

	Duration reconnectMax;

	NsqConsumerBuilder(String topic, String channel) {
		this.topic = NsqNames.requireValidTopic(topic);
		this.channel = NsqNames.requireValidChannel(channel);
	}

	/**
	 * The configuration (default {@link NsqConfig#defaults()}): the consumer uses its
	 * consumer section (max_in_flight, max_attempts, backoff, requeue delays, RDY,
	 * msg_timeout, max_msg_size), its connection section (timeouts, identity, TLS,
	 * compression, auth) and its nsqlookupd section (polling, and the reconnect delay cap
	 * of directly configured nsqd).
	 * @param config the configuration
	 * @return this builder
	 */
	public NsqConsumerBuilder config(NsqConfig config) {
		this.config = Objects.requireNonNull(config, "config");
		return this;
	}

	/**
	 * Connect to these nsqd TCP addresses directly (reconnected with exponential
	 * backoff).
	 * @param addresses {@code host:port} addresses
	 * @return this builder
	 */
	public NsqConsumerBuilder nsqd(String... addresses) {
		this.nsqdAddresses.addAll(List.of(addresses));
		return this;
	}

	/**
	 * Connect to these nsqd TCP addresses directly.
	 * @param addresses {@code host:port} addresses
	 * @return this builder
	 */
	public NsqConsumerBuilder nsqd(List<String> addresses) {
		this.nsqdAddresses.addAll(addresses);
		return this;
	}

	/**
	 * Discover nsqd through these nsqlookupd HTTP addresses.
	 * @param addresses {@code host:port} or URLs
	 * @return this builder
	 */
	public NsqConsumerBuilder lookupd(String... addresses) {
		this.lookupdAddresses.addAll(List.of(addresses));
		return this;
	}

	/**
	 * Discover nsqd through these nsqlookupd HTTP addresses.
	 * @param addresses {@code host:port} or URLs
	 * @return this builder
	 */
	public NsqConsumerBuilder lookupd(List<String> addresses) {
		this.lookupdAddresses.addAll(addresses);
		return this;
	}

	/**
	 * The message handler (required).
	 * @param handler the handler
	 * @return this builder
	 */
	public NsqConsumerBuilder handler(MessageHandler handler) {
		this.handler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/**
	 * Called for messages over {@code max_attempts} instead of the handler (default: log
	 * and finish). When it returns the message is finished; when it throws the message is
	 * requeued with backoff, not lost (see {@link FailedMessageHandler}).
	 * @param failedMessageHandler the handler
	 * @return this builder
	 */
	public NsqConsumerBuilder failedMessageHandler(FailedMessageHandler failedMessageHandler) {
		this.failedMessageHandler = failedMessageHandler;
		return this;
	}

	/**
	 * How many handler calls may run at once (default 1), independent of max_in_flight.
	 * @param concurrency at least 1
	 * @return this builder
	 */
	public NsqConsumerBuilder concurrency(int concurrency) {
		this.concurrency = concurrency;
		return this;
	}

	/**
	 * The executor running handlers (default: {@code concurrency} daemon threads named
	 * {@code nsq-handler-<topic>/<channel>-N}, started and ended by the consumer). A
	 * given executor is not shut down by the consumer; it receives {@code concurrency}
	 * long-running handler loops at {@link NsqConsumer#start()} (they end when the
	 * consumer stops), so it must be able to run that many tasks at once (e.g. virtual
	 * threads, or a pool at least that large). Its threads may be daemons: the consumer's
	 * own scheduler thread keeps the JVM alive until the consumer is stopped. A handler
	 * still running at the stop's deadline is interrupted; the interrupt is cleared
	 * before the loop hands the thread back.
	 * @param executor the executor
	 * @return this builder
	 */
	public NsqConsumerBuilder executor(Executor executor) {
		this.executor = executor;
		return this;
	}

	/**
	 * The stop's deadline in {@link NsqConsumer#close()}, and how long a connection to an
	 * nsqd that nsqlookupd stopped listing may drain (default 30s, as go-nsq's hard stop
	 * limit). Until it, handlers finish what was delivered; at it, what is unanswered is
	 * requeued (see {@link NsqConsumer}).
	 * @param shutdownTimeout the timeout
	 * @return this builder
	 */
	public NsqConsumerBuilder shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		return this;
	}

	/**
	 * Filter the nsqd addresses discovered through nsqlookupd before connecting (go-nsq's
	 * {@code DiscoveryFilter}).
	 * @param filter receives and returns {@code host:port} addresses
	 * @return this builder
	 */
	public NsqConsumerBuilder discoveryFilter(UnaryOperator<List<String>> filter) {
		this.discoveryFilter = Objects.requireNonNull(filter, "filter");
		return this;
	}

	/**
	 * Receive connection events (connected, disconnected, connect failures, permanent
	 * failures, non-fatal response errors, nsqlookupd failures), e.g. for application
	 * events or metrics.
	 * @param listener the listener, or {@code null} for none
	 * @return this builder
	 */
	public NsqConsumerBuilder listener(ConsumerListener listener) {
		this.listener = listener;
		return this;
	}

	/**
	 * The connection-event listener set so far, so that code adding its own (a listener
	 * container, after the application's customizers ran) can compose the two instead of
	 * replacing one.
	 * @return the listener, or {@code null} when none is set
	 */
	public ConsumerListener getListener() {
		return this.listener;
	}

	/**
	 * How a directly configured nsqd ({@link #nsqd(String...)}) is reconnected after its
	 * connection was lost or could not be opened: after {@code initial}, doubled for each
	 * failed attempt up to {@code max}, each wait varied by ±20% so that many consumers
	 * do not reconnect in step. Defaults: 1 s up to {@code lookupd_poll_interval} (60 s).
	 * go-nsq instead waits a fixed {@code lookupd_poll_interval} between attempts. nsqd
	 * discovered through nsqlookupd are not reconnected directly: they are connected
	 * again when nsqlookupd still lists them (asked again at once when a connection is
	 * lost, as go-nsq).
	 * @param initial the first wait, positive
	 * @param max the longest wait, at least {@code initial}
	 * @return this builder
	 */
	public NsqConsumerBuilder reconnectBackoff(Duration initial, Duration max) {
		Objects.requireNonNull(initial, "initial");
		Objects.requireNonNull(max, "max");
		if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
			throw new NsqConfigException("invalid reconnect backoff " + initial + " to " + max
					+ ": initial must be positive and max >= initial");
		}
		this.reconnectInitial = initial;
		this.reconnectMax = max;
		return this;
	}

	/**
	 * Build the consumer; call {@link NsqConsumer#start()} to connect.
	 * @return the consumer
	 * @throws io.github.nsqspring.core.NsqConfigException when no handler or no address
	 * is given, or a value is invalid
	 */
	public NsqConsumer build() {
		if (this.handler == null) {
			throw new NsqConfigException("consumer of " + this.topic + "/" + this.channel + " needs a message handler");
		}
		if (this.nsqdAddresses.isEmpty() && this.lookupdAddresses.isEmpty()) {
			throw new NsqConfigException("consumer of " + this.topic + "/" + this.channel
					+ " needs at least one nsqd or nsqlookupd address");
		}
		if (this.concurrency < 1) {
			throw new NsqConfigException("concurrency must be at least 1, was " + this.concurrency);
		}
		if (this.shutdownTimeout.isNegative()) {
			throw new NsqConfigException("shutdown timeout must not be negative, was " + this.shutdownTimeout);
		}
		Set<NsqAddress> fixed = new LinkedHashSet<>();
		for (String address : this.nsqdAddresses) {
			fixed.add(NsqAddress.parse(address));
		}
		LookupdClient lookupd = this.lookupdAddresses.isEmpty() ? null
				: new LookupdClient(List.copyOf(this.lookupdAddresses), this.config);
		return new DefaultNsqConsumer(this, fixed, lookupd);
	}

}
