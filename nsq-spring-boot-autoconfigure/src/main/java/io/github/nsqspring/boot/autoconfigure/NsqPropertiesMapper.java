package io.github.nsqspring.boot.autoconfigure;

import java.util.Map;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqDeclarer;
import io.github.nsqspring.core.config.BackoffStrategy;
import io.github.nsqspring.core.config.NsqConfig;
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

	NsqConfig.Builder toConfigBuilder(@Nullable SslBundles sslBundles) {
		NsqConfig.Builder builder = NsqConfig.builder();
		PropertyMapper map = PropertyMapper.get();
		NsqProperties.Client client = this.properties.getClient();
		map.from(client::getClientId).whenHasText().to(builder::clientId);
		map.from(client::getHostname).whenHasText().to(builder::hostname);
		map.from(client::getUserAgent).to(builder::userAgent);
		map.from(client::getDialTimeout).to(builder::dialTimeout);
		map.from(client::getReadTimeout).to(builder::readTimeout);
		map.from(client::getWriteTimeout).to(builder::writeTimeout);
		map.from(client::getHeartbeatInterval).to(builder::heartbeatInterval);
		map.from(client::getAuthSecret).whenHasText().to(builder::authSecret);
		map.from(client::getCompression).to((compression) -> {
			builder.snappy(compression == NsqProperties.Compression.SNAPPY);
			builder.deflate(compression == NsqProperties.Compression.DEFLATE);
		});
		map.from(client::getDeflateLevel).to(builder::deflateLevel);
		map.from(client::getOutputBufferSize)
			.as((size) -> Math.toIntExact(size.toBytes()))
			.to(builder::outputBufferSize);
		map.from(client::getOutputBufferTimeout).to(builder::outputBufferTimeout);
		map.from(client::getSampleRate).to(builder::sampleRate);
		applySsl(builder, client.getSsl(), sslBundles);

		NsqProperties.Lookupd lookupd = this.properties.getLookupd();
		map.from(lookupd::getPollInterval).to(builder::lookupdPollInterval);
		map.from(lookupd::getPollJitter).to(builder::lookupdPollJitter);
		map.from(lookupd::getPollTimeout).to(builder::lookupdPollTimeout);

		NsqProperties.Consumer consumer = this.properties.getConsumer();
		map.from(consumer::getMaxInFlight).to(builder::maxInFlight);
		map.from(consumer::getMaxAttempts).to(builder::maxAttempts);
		map.from(consumer::getDefaultRequeueDelay).to(builder::defaultRequeueDelay);
		map.from(consumer::getMaxRequeueDelay).to(builder::maxRequeueDelay);
		map.from(consumer::getMsgTimeout).to(builder::msgTimeout);
		map.from(consumer::getMaxMsgSize).as((size) -> Math.toIntExact(size.toBytes())).to(builder::maxMsgSize);
		NsqProperties.Backoff backoff = consumer.getBackoff();
		map.from(backoff::getStrategy).as(NsqPropertiesMapper::backoffStrategy).to(builder::backoffStrategy);
		map.from(backoff::getMultiplier).to(builder::backoffMultiplier);
		map.from(backoff::getMax).to(builder::maxBackoffDuration);

		// go-nsq named options last: they exist for what the typed properties lack
		for (Map.Entry<String, String> option : client.getProperties().entrySet()) {
			builder.set(option.getKey(), option.getValue());
		}
		return builder;
	}

	private static void applySsl(NsqConfig.Builder builder, NsqProperties.Ssl ssl, @Nullable SslBundles sslBundles) {
		String bundleName = ssl.getBundle();
		if (StringUtils.hasText(bundleName)) {
			Assert.state(sslBundles != null, () -> "nsq.client.ssl.bundle is set to '" + bundleName
					+ "' but no SslBundles bean exists (is SslAutoConfiguration excluded?)");
			SslBundle bundle = sslBundles.getBundle(bundleName);
			builder.tlsV1(true);
			builder.tlsConfig(NsqTlsConfig.builder().sslContext(bundle.createSslContext()).build());
		}
		else if (ssl.isEnabled()) {
			builder.tlsV1(true);
		}
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
		NsqProperties.Producer producer = this.properties.getProducer();
		builder.config(config);
		if (!connectionDetails.getNsqdAddresses().isEmpty()) {
			builder.nsqd(connectionDetails.getNsqdAddresses());
		}
		else {
			builder.lookupd(connectionDetails.getLookupdAddresses());
		}
		builder.strategy(producer.getStrategy());
		builder.maxPendingCommands(producer.getMaxPending());
		builder.pendingTimeout(producer.getPendingTimeout());
		builder.closeTimeout(producer.getCloseTimeout());
		builder.syncWaitSpin(producer.getSyncWaitSpin());
	}

}
