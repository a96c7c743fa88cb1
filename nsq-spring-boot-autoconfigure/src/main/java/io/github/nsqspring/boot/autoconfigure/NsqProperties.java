package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.boot.listener.StartupFailurePolicy;
import io.github.nsqspring.core.config.PublishStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for NSQ, under {@code nsq.*} ({@code spring.*} is reserved for
 * Spring Boot itself). Every default equals the one of nsq-core (and so go-nsq); a test
 * holds them together.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@ConfigurationProperties("nsq")
public class NsqProperties {

	private final Nsqd nsqd = new Nsqd();

	private final Lookupd lookupd = new Lookupd();

	private final Client client = new Client();

	private final Producer producer = new Producer();

	private final Consumer consumer = new Consumer();

	private final Template template = new Template();

	private final Listener listener = new Listener();

	private final Envelope envelope = new Envelope();

	private final Admin admin = new Admin();

	public Nsqd getNsqd() {
		return this.nsqd;
	}

	public Lookupd getLookupd() {
		return this.lookupd;
	}

	public Client getClient() {
		return this.client;
	}

	public Producer getProducer() {
		return this.producer;
	}

	public Consumer getConsumer() {
		return this.consumer;
	}

	public Template getTemplate() {
		return this.template;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Envelope getEnvelope() {
		return this.envelope;
	}

	public Admin getAdmin() {
		return this.admin;
	}

	@Override
	public String toString() {
		// Only what helps diagnose a connection problem; never the auth secret.
		return "NsqProperties[nsqd=" + this.nsqd.addresses + ", lookupd=" + this.lookupd.addresses + "]";
	}

	/**
	 * nsqd nodes.
	 */
	public static class Nsqd {

		/**
		 * Comma-separated list of nsqd TCP addresses (host:port) used to publish, and to
		 * consume when no nsqlookupd address is set. When neither this nor
		 * 'nsq.lookupd.addresses' is set, localhost:4150 is used.
		 */
		private List<String> addresses = new ArrayList<>();

		/**
		 * Comma-separated list of nsqd HTTP addresses (host:port), for administrative
		 * calls such as health checks.
		 */
		private List<String> httpAddresses = new ArrayList<>();

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

		public List<String> getHttpAddresses() {
			return this.httpAddresses;
		}

		public void setHttpAddresses(List<String> httpAddresses) {
			this.httpAddresses = httpAddresses;
		}

	}

	/**
	 * nsqlookupd discovery, shared by producer and listeners.
	 */
	public static class Lookupd {

		/**
		 * Comma-separated list of nsqlookupd HTTP addresses (host:port or URL). When set,
		 * listeners discover the nsqd that hold their topic through them, and the
		 * producer publishes to the nodes they list unless 'nsq.nsqd.addresses' is set.
		 */
		private List<String> addresses = new ArrayList<>();

		/**
		 * Period of nsqlookupd polls; also the longest reconnect delay of directly
		 * configured nsqd (reconnects start after 1s and double up to it).
		 */
		private Duration pollInterval = Duration.ofSeconds(60);

		/**
		 * Share of the poll interval, from 0 to 1, used as a random delay before the
		 * first poll, so that many consumers do not poll at once.
		 */
		private double pollJitter = 0.3;

		/**
		 * Timeout of one nsqlookupd query.
		 */
		private Duration pollTimeout = Duration.ofSeconds(60);

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public double getPollJitter() {
			return this.pollJitter;
		}

		public void setPollJitter(double pollJitter) {
			this.pollJitter = pollJitter;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

	}

	/**
	 * Connection settings shared by producer and listeners, sent to nsqd in IDENTIFY.
	 */
	public static class Client {

		/**
		 * Identifier of this client shown by nsqd and nsqadmin. Defaults to the host name
		 * up to its first dot.
		 */
		private @Nullable String clientId;

		/**
		 * Host name reported to nsqd. Defaults to the host name of the machine.
		 */
		private @Nullable String hostname;

		/**
		 * User agent reported to nsqd.
		 */
		private String userAgent = "nsq-spring/0.1.0";

		/**
		 * Timeout of a TCP connect to nsqd.
		 */
		private Duration dialTimeout = Duration.ofSeconds(1);

		/**
		 * Longest wait for any frame from nsqd, heartbeats included.
		 */
		private Duration readTimeout = Duration.ofSeconds(60);

		/**
		 * Longest a write to nsqd may block.
		 */
		private Duration writeTimeout = Duration.ofSeconds(1);

		/**
		 * Interval of nsqd heartbeats. At most the read timeout; negative to disable
		 * (publishers only).
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(30);

		/**
		 * Secret sent to nsqd's auth server (AUTH). Never logged.
		 */
		private @Nullable String authSecret;

		/**
		 * Compression negotiated with nsqd.
		 */
		private Compression compression = Compression.NONE;

		/**
		 * Deflate compression level, from 1 to 9.
		 */
		private int deflateLevel = 6;

		/**
		 * Size of nsqd's output buffer for this client. 0 for nsqd's default, -1B to
		 * disable buffering.
		 */
		private DataSize outputBufferSize = DataSize.ofBytes(16384);

		/**
		 * Longest nsqd buffers output for this client before flushing. Negative to
		 * disable periodic flushes.
		 */
		private Duration outputBufferTimeout = Duration.ofMillis(250);

		/**
		 * Percentage of the channel's messages, from 0 to 99, that nsqd delivers to this
		 * client; 0 disables sampling.
		 */
		private int sampleRate;

		/**
		 * Options by their go-nsq name (for example 'rdy_redistribute_interval'), applied
		 * after the typed properties, for settings not exposed otherwise.
		 */
		private Map<String, String> properties = new LinkedHashMap<>();

		private final Ssl ssl = new Ssl();

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getHostname() {
			return this.hostname;
		}

		public void setHostname(@Nullable String hostname) {
			this.hostname = hostname;
		}

		public String getUserAgent() {
			return this.userAgent;
		}

		public void setUserAgent(String userAgent) {
			this.userAgent = userAgent;
		}

		public Duration getDialTimeout() {
			return this.dialTimeout;
		}

		public void setDialTimeout(Duration dialTimeout) {
			this.dialTimeout = dialTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public @Nullable String getAuthSecret() {
			return this.authSecret;
		}

		public void setAuthSecret(@Nullable String authSecret) {
			this.authSecret = authSecret;
		}

		public Compression getCompression() {
			return this.compression;
		}

		public void setCompression(Compression compression) {
			this.compression = compression;
		}

		public int getDeflateLevel() {
			return this.deflateLevel;
		}

		public void setDeflateLevel(int deflateLevel) {
			this.deflateLevel = deflateLevel;
		}

		public DataSize getOutputBufferSize() {
			return this.outputBufferSize;
		}

		public void setOutputBufferSize(DataSize outputBufferSize) {
			this.outputBufferSize = outputBufferSize;
		}

		public Duration getOutputBufferTimeout() {
			return this.outputBufferTimeout;
		}

		public void setOutputBufferTimeout(Duration outputBufferTimeout) {
			this.outputBufferTimeout = outputBufferTimeout;
		}

		public int getSampleRate() {
			return this.sampleRate;
		}

		public void setSampleRate(int sampleRate) {
			this.sampleRate = sampleRate;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

		public void setProperties(Map<String, String> properties) {
			this.properties = properties;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		@Override
		public String toString() {
			return "Client[clientId=" + this.clientId + ", authSecret=" + ((this.authSecret != null) ? "******" : null)
					+ ", compression=" + this.compression + ", ssl=" + this.ssl.enabled + "]";
		}

	}

	/**
	 * Compression negotiated with nsqd.
	 */
	public enum Compression {

		/** No compression. */
		NONE,

		/** Snappy framing format; needs snappy-java on the class path. */
		SNAPPY,

		/** Raw deflate, at 'nsq.client.deflate-level'. */
		DEFLATE

	}

	/**
	 * TLS to nsqd.
	 */
	public static class Ssl {

		/**
		 * Whether to ask nsqd for TLS. Enabled automatically when a bundle is set.
		 */
		private boolean enabled;

		/**
		 * SSL bundle (spring.ssl.bundle.*) holding the trust material and, for mutual
		 * TLS, the client key. Without a bundle, the JVM's default trust store is used.
		 */
		private @Nullable String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * The producer behind NsqTemplate.
	 */
	public static class Producer {

		/**
		 * How the producer picks an nsqd when several are known.
		 */
		private PublishStrategy strategy = PublishStrategy.ROUND_ROBIN;

		/**
		 * Most publishes awaiting nsqd's answer per connection.
		 */
		private int maxPending = 10000;

		/**
		 * Longest a publish waits for room among pending publishes before failing.
		 */
		private Duration pendingTimeout = Duration.ofSeconds(5);

		/**
		 * Longest closing the producer waits for answers already owed.
		 */
		private Duration closeTimeout = Duration.ofSeconds(5);

		/**
		 * How long a blocking send polls for nsqd's answer before parking its thread; 0
		 * parks at once. Polling saves a thread wake-up per send while a core is free to
		 * poll on; when more threads wait than there are cores they park at once, and
		 * sends whose answers keep coming later than that (large batches), or whose polls
		 * end their wait no sooner than parking would (threads that wake quickly), stop
		 * polling by themselves.
		 */
		private Duration syncWaitSpin = Duration.ofNanos(100_000);

		public PublishStrategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(PublishStrategy strategy) {
			this.strategy = strategy;
		}

		public int getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(int maxPending) {
			this.maxPending = maxPending;
		}

		public Duration getPendingTimeout() {
			return this.pendingTimeout;
		}

		public void setPendingTimeout(Duration pendingTimeout) {
			this.pendingTimeout = pendingTimeout;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public Duration getSyncWaitSpin() {
			return this.syncWaitSpin;
		}

		public void setSyncWaitSpin(Duration syncWaitSpin) {
			this.syncWaitSpin = syncWaitSpin;
		}

	}

	/**
	 * Consumer defaults for every listener; an @NsqListener attribute overrides them.
	 */
	public static class Consumer {

		/**
		 * Most messages a listener holds at once (RDY), spread over its nsqd connections.
		 */
		private int maxInFlight = 1;

		/**
		 * Deliveries of a message before it goes to the recoverer; 0 for no limit.
		 */
		private int maxAttempts = 5;

		/**
		 * Requeue delay per attempt after a failure (delay = this x attempts).
		 */
		private Duration defaultRequeueDelay = Duration.ofSeconds(90);

		/**
		 * Cap of the automatic requeue delay.
		 */
		private Duration maxRequeueDelay = Duration.ofMinutes(15);

		/**
		 * Number of handler calls that may run at once per listener, independent of
		 * max-in-flight.
		 */
		private int concurrency = 1;

		/**
		 * Time nsqd waits for an answer before it redelivers a message. Unset for nsqd's
		 * default (--msg-timeout, 60s).
		 */
		private @Nullable Duration msgTimeout;

		/**
		 * Largest message accepted from nsqd. 0 for no limit.
		 */
		private DataSize maxMsgSize = DataSize.ofBytes(0);

		private final Backoff backoff = new Backoff();

		public int getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(int maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getDefaultRequeueDelay() {
			return this.defaultRequeueDelay;
		}

		public void setDefaultRequeueDelay(Duration defaultRequeueDelay) {
			this.defaultRequeueDelay = defaultRequeueDelay;
		}

		public Duration getMaxRequeueDelay() {
			return this.maxRequeueDelay;
		}

		public void setMaxRequeueDelay(Duration maxRequeueDelay) {
			this.maxRequeueDelay = maxRequeueDelay;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Duration getMsgTimeout() {
			return this.msgTimeout;
		}

		public void setMsgTimeout(@Nullable Duration msgTimeout) {
			this.msgTimeout = msgTimeout;
		}

		public DataSize getMaxMsgSize() {
			return this.maxMsgSize;
		}

		public void setMaxMsgSize(DataSize maxMsgSize) {
			this.maxMsgSize = maxMsgSize;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/**
	 * Consumer backoff: after a failure, a listener slows down (RDY 0 for a while), as
	 * go-nsq does.
	 */
	public static class Backoff {

		/**
		 * How the backoff time grows with the backoff level.
		 */
		private BackoffStrategyType strategy = BackoffStrategyType.EXPONENTIAL;

		/**
		 * Unit of backoff time.
		 */
		private Duration multiplier = Duration.ofSeconds(1);

		/**
		 * Longest backoff; 0 disables backoff.
		 */
		private Duration max = Duration.ofMinutes(2);

		public BackoffStrategyType getStrategy() {
			return this.strategy;
		}

		public void setStrategy(BackoffStrategyType strategy) {
			this.strategy = strategy;
		}

		public Duration getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Duration multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * Built-in backoff strategies.
	 */
	public enum BackoffStrategyType {

		/** multiplier x 2^level. */
		EXPONENTIAL,

		/** A random time between 0 and multiplier x 2^level. */
		FULL_JITTER

	}

	/**
	 * NsqTemplate.
	 */
	public static class Template {

		/**
		 * Topic used by the send methods that take no topic.
		 */
		private @Nullable String defaultTopic;

		/**
		 * Whether every send is recorded as a Micrometer observation ('nsq.template'),
		 * which also propagates the trace context when the envelope is enabled.
		 */
		private boolean observationEnabled;

		public @Nullable String getDefaultTopic() {
			return this.defaultTopic;
		}

		public void setDefaultTopic(@Nullable String defaultTopic) {
			this.defaultTopic = defaultTopic;
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

	}

	/**
	 * Listener containers (@NsqListener).
	 */
	public static class Listener {

		/**
		 * Whether listener containers start with the application context.
		 */
		private boolean autoStartup = true;

		/**
		 * Channel of listeners that name none. Channels are durable on nsqd, so a name is
		 * never generated: without this, a listener without a channel fails startup.
		 */
		private @Nullable String defaultChannel;

		/**
		 * How long a stopping listener goes on handling the messages it was delivered;
		 * those still unanswered then are requeued at once. The stop may take up to 17 s
		 * more (handlers that ignore their interrupt), so the default is
		 * 'spring.lifecycle.timeout-per-shutdown-phase' less 17 s (13 s with Boot's 30
		 * s), at least 1 s.
		 */
		private @Nullable Duration shutdownTimeout;

		/**
		 * What to do when a listener's configuration can never work (an invalid setting
		 * or name, compression without its library, untrusted TLS, failed
		 * authentication): STOP fails the application's startup, or stops the listener
		 * when this is found later on an nsqd; CONTINUE goes on without the listener, or
		 * without that nsqd. An unreachable nsqd or nsqlookupd is never such a failure:
		 * it is retried in the background.
		 */
		private StartupFailurePolicy startupFailurePolicy = StartupFailurePolicy.STOP;

		/**
		 * Whether every delivery to a listener is recorded as a Micrometer observation
		 * ('nsq.listener'), continuing the sender's trace when the message carries an
		 * envelope.
		 */
		private boolean observationEnabled;

		/**
		 * Time without messages after which a listener container publishes a
		 * ConsumerIdleEvent (and again after each further interval). Unset for no idle
		 * events.
		 */
		private @Nullable Duration idleEventInterval;

		/**
		 * Whether listeners take one message per call (single) or a list of them (batch),
		 * unless their '@NsqListener(batch = ...)' says otherwise.
		 */
		private Type type = Type.SINGLE;

		private final DeadLetter deadLetter = new DeadLetter();

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable String getDefaultChannel() {
			return this.defaultChannel;
		}

		public void setDefaultChannel(@Nullable String defaultChannel) {
			this.defaultChannel = defaultChannel;
		}

		public @Nullable Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public StartupFailurePolicy getStartupFailurePolicy() {
			return this.startupFailurePolicy;
		}

		public void setStartupFailurePolicy(StartupFailurePolicy startupFailurePolicy) {
			this.startupFailurePolicy = startupFailurePolicy;
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public @Nullable Duration getIdleEventInterval() {
			return this.idleEventInterval;
		}

		public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
			this.idleEventInterval = idleEventInterval;
		}

		public Type getType() {
			return this.type;
		}

		public void setType(Type type) {
			this.type = type;
		}

		/**
		 * What a listener method takes per call.
		 */
		public enum Type {

			/**
			 * One message.
			 */
			SINGLE,

			/**
			 * A list of messages.
			 */
			BATCH

		}

		public DeadLetter getDeadLetter() {
			return this.deadLetter;
		}

	}

	/**
	 * Dead letters: where messages go after their last failed attempt.
	 */
	public static class DeadLetter {

		/**
		 * Whether messages that exhausted their attempts, or that cannot be converted,
		 * are published to a dead-letter topic instead of only being logged.
		 */
		private boolean enabled;

		/**
		 * Suffix appended to the topic to name its dead-letter topic.
		 */
		private String suffix = ".dlq";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getSuffix() {
			return this.suffix;
		}

		public void setSuffix(String suffix) {
			this.suffix = suffix;
		}

	}

	/**
	 * The message envelope that carries headers (trace context, dead-letter details,
	 * Message headers) in front of the payload.
	 */
	public static class Envelope {

		/**
		 * Whether NsqTemplate and the dead-letter recoverer write message bodies in the
		 * envelope format. Listeners recognise enveloped messages whatever this setting,
		 * but consumers in other languages see the envelope bytes unless they unwrap them
		 * (docs/envelope.md). Off by default: bodies are the raw payload.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Declarations and NsqAdmin: topics and channels created on every nsqd at startup.
	 */
	public static class Admin {

		/**
		 * Timeout of one nsqd or nsqlookupd HTTP request made by NsqAdmin, for connecting
		 * and then for the answer.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Whether a declaration that fails (nsqd unreachable or refusing) fails startup.
		 * When false, it is logged as a warning and retried in the background until it
		 * succeeds.
		 */
		private boolean failOnError;

		/**
		 * Time between retries of failed declarations.
		 */
		private Duration retryInterval = Duration.ofSeconds(30);

		/**
		 * Whether each listener declares its topic and channel on every nsqd when it
		 * starts, before it subscribes. Ephemeral channels are never declared.
		 */
		private boolean declareListenerChannels = true;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isFailOnError() {
			return this.failOnError;
		}

		public void setFailOnError(boolean failOnError) {
			this.failOnError = failOnError;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public boolean isDeclareListenerChannels() {
			return this.declareListenerChannels;
		}

		public void setDeclareListenerChannels(boolean declareListenerChannels) {
			this.declareListenerChannels = declareListenerChannels;
		}

	}

}
