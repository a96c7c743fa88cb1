package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.nsqspring.boot.listener.DeadLetterPublishingRecoverer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.StartupFailurePolicy;
import io.github.nsqspring.core.config.BackoffStrategy;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqConnectionConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;
import io.github.nsqspring.core.config.PublishStrategy;
import io.github.nsqspring.core.consumer.NsqConsumer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class NsqPropertiesTests {

	@Test
	void clientDefaultsAreConsistentWithTheCore() {
		NsqProperties.Client client = new NsqProperties().getClient();
		NsqConfig core = NsqConfig.defaults();
		assertThat(client.getUserAgent()).isEqualTo(NsqConnectionConfig.DEFAULT_USER_AGENT);
		assertThat(client.getDialTimeout()).isEqualTo(core.connection().getDialTimeout());
		assertThat(client.getReadTimeout()).isEqualTo(core.connection().getReadTimeout());
		assertThat(client.getWriteTimeout()).isEqualTo(core.connection().getWriteTimeout());
		assertThat(client.getHeartbeatInterval()).isEqualTo(core.connection().getHeartbeatInterval());
		assertThat(client.getAuthSecret()).isEqualTo(core.connection().getAuthSecret());
		assertThat(client.getCompression() == NsqProperties.Compression.DEFLATE)
			.isEqualTo(core.connection().isDeflate());
		assertThat(client.getCompression() == NsqProperties.Compression.SNAPPY).isEqualTo(core.connection().isSnappy());
		assertThat(client.getDeflateLevel()).isEqualTo(core.connection().getDeflateLevel());
		assertThat(client.getOutputBufferSize().toBytes()).isEqualTo(core.connection().getOutputBufferSize());
		assertThat(client.getOutputBufferTimeout()).isEqualTo(core.connection().getOutputBufferTimeout());
		assertThat(client.getSampleRate()).isEqualTo(core.connection().getSampleRate());
		assertThat(client.getSsl().isEnabled()).isEqualTo(core.connection().isTlsV1());
	}

	@Test
	void lookupdAndConsumerDefaultsAreConsistentWithTheCore() {
		NsqProperties properties = new NsqProperties();
		NsqConfig core = NsqConfig.defaults();
		assertThat(properties.getLookupd().getPollInterval()).isEqualTo(core.lookupd().getPollInterval());
		assertThat(properties.getLookupd().getPollJitter()).isEqualTo(core.lookupd().getPollJitter());
		assertThat(properties.getLookupd().getPollTimeout()).isEqualTo(core.lookupd().getPollTimeout());
		NsqProperties.Consumer consumer = properties.getConsumer();
		assertThat(consumer.getMaxInFlight()).isEqualTo(core.consumer().getMaxInFlight());
		assertThat(consumer.getMaxAttempts()).isEqualTo(core.consumer().getMaxAttempts());
		assertThat(consumer.getDefaultRequeueDelay()).isEqualTo(core.consumer().getDefaultRequeueDelay());
		assertThat(consumer.getMaxRequeueDelay()).isEqualTo(core.consumer().getMaxRequeueDelay());
		assertThat(consumer.getMaxMsgSize().toBytes()).isEqualTo(core.consumer().getMaxMsgSize());
		assertThat(consumer.getMsgTimeout()).isNull();
		assertThat(core.consumer().getMsgTimeout()).isZero();
		assertThat(consumer.getBackoff().getStrategy().name().toLowerCase())
			.isEqualTo(core.consumer().getBackoffStrategy().toString());
		assertThat(core.consumer().getBackoffStrategy()).isSameAs(BackoffStrategy.EXPONENTIAL);
		assertThat(consumer.getBackoff().getMultiplier()).isEqualTo(core.consumer().getBackoffMultiplier());
		assertThat(consumer.getBackoff().getMax()).isEqualTo(core.consumer().getMaxBackoffDuration());
	}

	@Test
	void producerDefaultsAreConsistentWithTheCore() {
		NsqProperties.Producer producer = new NsqProperties().getProducer();
		NsqProducerConfig core = NsqConfig.defaults().producer();
		assertThat(producer.getStrategy()).isEqualTo(core.getStrategy()).isEqualTo(PublishStrategy.ROUND_ROBIN);
		assertThat(producer.getMaxPending()).isEqualTo(core.getMaxPendingCommands());
		assertThat(producer.getPendingTimeout()).isEqualTo(core.getPendingTimeout());
		assertThat(producer.getCloseTimeout()).isEqualTo(core.getCloseTimeout());
		assertThat(producer.getSyncWaitSpin()).isEqualTo(core.getSyncWaitSpin());
	}

	@Test
	void listenerDefaultsAreConsistentWithTheCoreConsumerBuilder() {
		NsqProperties properties = new NsqProperties();
		Object builder = NsqConsumer.builder("t", "c");
		assertThat(properties.getConsumer().getConcurrency())
			.isEqualTo(ReflectionTestUtils.getField(builder, "concurrency"));
		// unset: derived from spring.lifecycle.timeout-per-shutdown-phase; containers
		// made without Boot's configurer get the core's default
		assertThat(properties.getListener().getShutdownTimeout()).isNull();
		assertThat(NsqContainerProperties.DEFAULT_SHUTDOWN_TIMEOUT)
			.isEqualTo(ReflectionTestUtils.getField(builder, "shutdownTimeout"))
			.isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getListener().isAutoStartup()).isTrue();
		assertThat(properties.getListener().getDefaultChannel()).isNull();
		assertThat(properties.getListener().getStartupFailurePolicy()).isEqualTo(StartupFailurePolicy.STOP);
		assertThat(properties.getListener().getDeadLetter().isEnabled()).isFalse();
		assertThat(properties.getListener().getDeadLetter().getSuffix())
			.isEqualTo(DeadLetterPublishingRecoverer.DEFAULT_SUFFIX);
	}

	@Test
	void bindsEveryGroup() {
		Map<String, String> map = new HashMap<>();
		map.put("nsq.nsqd.addresses", "10.0.0.1:4150, 10.0.0.2:4150");
		map.put("nsq.nsqd.http-addresses", "10.0.0.1:4151");
		map.put("nsq.lookupd.addresses", "http://10.0.0.9:4161");
		map.put("nsq.client.output-buffer-size", "64KB");
		map.put("nsq.client.compression", "snappy");
		map.put("nsq.client.ssl.bundle", "nsq");
		map.put("nsq.client.properties.low_rdy_timeout", "20s");
		map.put("nsq.producer.strategy", "failover");
		map.put("nsq.producer.max-pending", "100");
		map.put("nsq.producer.pending-timeout", "250ms");
		map.put("nsq.producer.sync-wait-spin", "50us");
		map.put("nsq.consumer.max-msg-size", "2MB");
		map.put("nsq.consumer.backoff.strategy", "full_jitter");
		map.put("nsq.template.default-topic", "events");
		map.put("nsq.listener.shutdown-timeout", "45s");
		map.put("nsq.listener.startup-failure-policy", "continue");
		NsqProperties properties = new Binder(new MapConfigurationPropertySource(map)).bind("nsq", NsqProperties.class)
			.get();
		assertThat(properties.getNsqd().getAddresses()).containsExactly("10.0.0.1:4150", "10.0.0.2:4150");
		assertThat(properties.getNsqd().getHttpAddresses()).containsExactly("10.0.0.1:4151");
		assertThat(properties.getLookupd().getAddresses()).containsExactly("http://10.0.0.9:4161");
		assertThat(properties.getClient().getOutputBufferSize()).isEqualTo(DataSize.ofKilobytes(64));
		assertThat(properties.getClient().getCompression()).isEqualTo(NsqProperties.Compression.SNAPPY);
		assertThat(properties.getClient().getSsl().getBundle()).isEqualTo("nsq");
		assertThat(properties.getClient().getProperties()).containsEntry("low_rdy_timeout", "20s");
		assertThat(properties.getProducer().getStrategy()).isEqualTo(PublishStrategy.FAILOVER);
		assertThat(properties.getProducer().getMaxPending()).isEqualTo(100);
		assertThat(properties.getProducer().getPendingTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getProducer().getSyncWaitSpin()).isEqualTo(Duration.ofNanos(50_000));
		assertThat(properties.getConsumer().getMaxMsgSize()).isEqualTo(DataSize.ofMegabytes(2));
		assertThat(properties.getConsumer().getBackoff().getStrategy())
			.isEqualTo(NsqProperties.BackoffStrategyType.FULL_JITTER);
		assertThat(properties.getTemplate().getDefaultTopic()).isEqualTo("events");
		assertThat(properties.getListener().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(45));
		assertThat(properties.getListener().getStartupFailurePolicy()).isEqualTo(StartupFailurePolicy.CONTINUE);
	}

	@Test
	void toStringNeverShowsTheAuthSecret() {
		NsqProperties properties = new NsqProperties();
		properties.getClient().setAuthSecret("s3cr3t");
		assertThat(properties.toString()).doesNotContain("s3cr3t");
		assertThat(properties.getClient().toString()).doesNotContain("s3cr3t").contains("******");
	}

}
