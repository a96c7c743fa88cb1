package io.github.nsqspring.boot.autoconfigure;

import java.util.Map;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqDeclarer;
import io.github.nsqspring.core.config.BackoffStrategy;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.config.NsqConsumerConfig;
import io.github.nsqspring.core.config.NsqLookupdConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;
import io.github.nsqspring.core.config.NsqTlsConfig;
import io.github.nsqspring.core.producer.NsqProducerBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Maps {@link NsqProperties} onto nsq-core's builders.
 *
 * @author nsq-spring
 */
final class NsqPropertiesMapper {

	private final NsqProperties properties;

	NsqPropertiesMapper(NsqProperties properties) {
		this.properties = properties;
	}

	/**
	 * The configuration builder: each group of properties goes to its section
	 * ({@code nsq.client.*} to connection, {@code nsq.lookupd.*} to lookupd,
	 * {@code nsq.consumer.*} to consumer, {@code nsq.producer.*} to producer), then the
	 * go-nsq named options of {@code nsq.client.properties}.
	 */
	NsqConfig.Builder toConfigBuilder(@Nullable SslBundles sslBundles) {
		NsqConfig.Builder builder = NsqConfig.builder()
			.connection((connection) -> applyTo(connection, this.properties.getClient(), sslBundles))
			.lookupd((lookupd) -> applyTo(lookupd, this.properties.getLookupd()))
			.consumer((consumer) -> applyTo(consumer, this.properties.getConsumer()))
			.producer((producer) -> applyTo(producer, this.properties.getProducer()));
		// go-nsq named options last: they exist for what the typed properties lack
		for (Map.Entry<String, String> option : this.properties.getClient().getProperties().entrySet()) {
			builder.set(option.getKey(), option.getValue());
		}
		return builder;
	}

	private static void applyTo(NsqConnectionConfig.Builder connection, NsqProperties.Client client,
			@Nullable SslBundles sslBundles) {
		PropertyMapper map = PropertyMapper.get();
		map.from(client::getClientId).whenHasText().to(connection::clientId);
		map.from(client::getHostname).whenHasText().to(connection::hostname);
		map.from(client::getUserAgent).to(connection::userAgent);
		map.from(client::getDialTimeout).to(connection::dialTimeout);
		map.from(client::getReadTimeout).to(connection::readTimeout);
		map.from(client::getWriteTimeout).to(connection::writeTimeout);
		map.from(client::getHeartbeatInterval).to(connection::heartbeatInterval);
		map.from(client::getAuthSecret).whenHasText().to(connection::authSecret);
		map.from(client::getCompression).to((compression) -> {
			connection.snappy(compression == NsqProperties.Compression.SNAPPY);
			connection.deflate(compression == NsqProperties.Compression.DEFLATE);
		});
		map.from(client::getDeflateLevel).to(connection::deflateLevel);
		map.from(client::getOutputBufferSize)
			.as((size) -> Math.toIntExact(size.toBytes()))
			.to(connection::outputBufferSize);
		map.from(client::getOutputBufferTimeout).to(connection::outputBufferTimeout);
		map.from(client::getSampleRate).to(connection::sampleRate);
		applySsl(connection, client.getSsl(), sslBundles);
	}

	private static void applySsl(NsqConnectionConfig.Builder connection, NsqProperties.Ssl ssl,
			@Nullable SslBundles sslBundles) {
		String bundleName = ssl.getBundle();
		if (StringUtils.hasText(bundleName)) {
			Assert.state(sslBundles != null, () -> "nsq.client.ssl.bundle is set to '" + bundleName
					+ "' but no SslBundles bean exists (is SslAutoConfiguration excluded?)");
			SslBundle bundle = sslBundles.getBundle(bundleName);
			connection.tlsV1(true);
			connection.tlsConfig(NsqTlsConfig.builder().sslContext(bundle.createSslContext()).build());
		}
		else if (ssl.isEnabled()) {
			connection.tlsV1(true);
		}
	}

	private static void applyTo(NsqLookupdConfig.Builder lookupd, NsqProperties.Lookupd properties) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getPollInterval).to(lookupd::pollInterval);
		map.from(properties::getPollJitter).to(lookupd::pollJitter);
		map.from(properties::getPollTimeout).to(lookupd::pollTimeout);
	}

	private static void applyTo(NsqConsumerConfig.Builder consumer, NsqProperties.Consumer properties) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getMaxInFlight).to(consumer::maxInFlight);
		map.from(properties::getMaxAttempts).to(consumer::maxAttempts);
		map.from(properties::getDefaultRequeueDelay).to(consumer::defaultRequeueDelay);
		map.from(properties::getMaxRequeueDelay).to(consumer::maxRequeueDelay);
		map.from(properties::getMsgTimeout).to(consumer::msgTimeout);
		map.from(properties::getMaxMsgSize).as((size) -> Math.toIntExact(size.toBytes())).to(consumer::maxMsgSize);
		NsqProperties.Backoff backoff = properties.getBackoff();
		map.from(backoff::getStrategy).as(NsqPropertiesMapper::backoffStrategy).to(consumer::backoffStrategy);
		map.from(backoff::getMultiplier).to(consumer::backoffMultiplier);
		map.from(backoff::getMax).to(consumer::maxBackoffDuration);
	}

	private static void applyTo(NsqProducerConfig.Builder producer, NsqProperties.Producer properties) {
		producer.strategy(properties.getStrategy());
		producer.maxPendingCommands(properties.getMaxPending());
		producer.pendingTimeout(properties.getPendingTimeout());
		producer.closeTimeout(properties.getCloseTimeout());
		producer.syncWaitSpin(properties.getSyncWaitSpin());
	}

	private static BackoffStrategy backoffStrategy(NsqProperties.BackoffStrategyType type) {
		return switch (type) {
			case EXPONENTIAL -> BackoffStrategy.EXPONENTIAL;
			case FULL_JITTER -> BackoffStrategy.FULL_JITTER;
		};
	}

	NsqAdmin toAdmin(NsqConnectionDetails connectionDetails, NsqConfig config) {
		return new NsqAdmin(connectionDetails.getNsqdHttpAddresses(), connectionDetails.getLookupdAddresses(),
				this.properties.getAdmin().getTimeout(), config);
	}

	void applyTo(NsqDeclarer declarer) {
		NsqProperties.Admin admin = this.properties.getAdmin();
		declarer.setFailOnError(admin.isFailOnError());
		declarer.setRetryInterval(admin.getRetryInterval());
	}

	void applyTo(NsqProducerBuilder builder, NsqConnectionDetails connectionDetails, NsqConfig config) {
		builder.config(config);
		if (!connectionDetails.getNsqdAddresses().isEmpty()) {
			builder.nsqd(connectionDetails.getNsqdAddresses());
		}
		else {
			builder.lookupd(connectionDetails.getLookupdAddresses());
		}
	}

}
