package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.config.NsqAnnotationSupportBeanNames;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqListenerConsumerCustomizer;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.listener.DeadLetterPublishingRecoverer;
import io.github.nsqspring.boot.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqContainerProperties;
import io.github.nsqspring.boot.listener.NsqErrorHandler;
import io.github.nsqspring.boot.listener.NsqMessageFilterStrategy;
import io.github.nsqspring.boot.listener.NsqMessageInterceptor;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;
import io.github.nsqspring.boot.listener.NsqMessageRecoverer;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.converter.NsqMessageConverter;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerFactory;
import io.github.nsqspring.boot.test.TestNsqMessage;
import io.github.nsqspring.core.config.BackoffStrategy;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.config.NsqProducerConfig;
import io.github.nsqspring.core.config.PublishStrategy;
import io.github.nsqspring.core.producer.NsqProducer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link NsqAutoConfiguration}. The producer is a mock (nothing here talks to
 * nsqd); the end-to-end tests against an embedded nsqd live elsewhere.
 */
class NsqAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class));

	@Test
	void autoConfiguresBeans() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(NsqProperties.class)
			.hasSingleBean(PropertiesNsqConnectionDetails.class)
			.hasSingleBean(NsqConfig.class)
			.hasSingleBean(NsqTemplate.class)
			.hasSingleBean(DefaultNsqMessageConverter.class)
			.hasSingleBean(DefaultNsqConsumerFactory.class)
			.hasSingleBean(ConcurrentNsqListenerContainerFactoryConfigurer.class)
			.hasSingleBean(ConcurrentNsqListenerContainerFactory.class)
			.hasBean(NsqAnnotationSupportBeanNames.DEFAULT_NSQ_LISTENER_CONTAINER_FACTORY_BEAN_NAME)
			.hasBean(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
			.hasSingleBean(NsqListenerEndpointRegistry.class)
			.doesNotHaveBean(NsqMessageRecoverer.class));
	}

	@Test
	void backsOffWithoutTheClient() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(NsqProducer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(NsqTemplate.class)
				.doesNotHaveBean(NsqProperties.class));
	}

	@Nested
	class ConnectionDetailsTests {

		@Test
		void defaultsToLocalNsqdWhenNothingIsConfigured() {
			NsqAutoConfigurationTests.this.contextRunner.run((context) -> {
				NsqConnectionDetails details = context.getBean(NsqConnectionDetails.class);
				assertThat(details.getNsqdAddresses()).containsExactly("localhost:4150");
				assertThat(details.getLookupdAddresses()).isEmpty();
			});
		}

		@Test
		void usesConfiguredAddresses() {
			NsqAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.nsqd.addresses=127.0.0.1:4150,127.0.0.1:5150",
						"nsq.nsqd.http-addresses=127.0.0.1:4151", "nsq.lookupd.addresses=127.0.0.1:4161")
				.run((context) -> {
					NsqConnectionDetails details = context.getBean(NsqConnectionDetails.class);
					assertThat(details.getNsqdAddresses()).containsExactly("127.0.0.1:4150", "127.0.0.1:5150");
					assertThat(details.getNsqdHttpAddresses()).containsExactly("127.0.0.1:4151");
					assertThat(details.getLookupdAddresses()).containsExactly("127.0.0.1:4161");
					DefaultNsqConsumerFactory consumerFactory = context.getBean(DefaultNsqConsumerFactory.class);
					assertThat(consumerFactory.getLookupdAddresses()).containsExactly("127.0.0.1:4161");
				});
		}

		@Test
		void onlyLookupdMeansNoDefaultNsqd() {
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.lookupd.addresses=127.0.0.1:4161")
				.run((context) -> assertThat(context.getBean(NsqConnectionDetails.class).getNsqdAddresses()).isEmpty());
		}

		@Test
		void whenHasUserDefinedConnectionDetailsDoesNotAutoConfigureBean() {
			NsqConnectionDetails custom = new NsqConnectionDetails() {

				@Override
				public List<String> getNsqdAddresses() {
					return List.of("127.0.0.9:4150");
				}

				@Override
				public List<String> getLookupdAddresses() {
					return List.of();
				}

			};
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.nsqd.addresses=127.0.0.1:1")
				.withBean(NsqConnectionDetails.class, () -> custom)
				.run((context) -> {
					assertThat(context).doesNotHaveBean(PropertiesNsqConnectionDetails.class);
					assertThat(context.getBean(DefaultNsqConsumerFactory.class).getNsqdAddresses())
						.containsExactly("127.0.0.9:4150");
				});
		}

	}

	@Nested
	class ConfigTests {

		@Test
		void defaultConfigEqualsTheCoreDefaults() {
			NsqAutoConfigurationTests.this.contextRunner.run((context) -> assertThat(context.getBean(NsqConfig.class))
				.hasToString(NsqConfig.defaults().toString()));
		}

		@Test
		void appliesClientLookupdAndConsumerProperties() {
			NsqAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.client.client-id=billing-1", "nsq.client.hostname=host.example",
						"nsq.client.user-agent=shop/2", "nsq.client.dial-timeout=2s", "nsq.client.read-timeout=45s",
						"nsq.client.write-timeout=3s", "nsq.client.heartbeat-interval=10s",
						"nsq.client.auth-secret=s3cr3t", "nsq.client.compression=deflate", "nsq.client.deflate-level=3",
						"nsq.client.output-buffer-size=32KB", "nsq.client.output-buffer-timeout=100ms",
						"nsq.client.sample-rate=10", "nsq.lookupd.poll-interval=15s", "nsq.lookupd.poll-jitter=0.1",
						"nsq.lookupd.poll-timeout=5s", "nsq.consumer.max-in-flight=50", "nsq.consumer.max-attempts=7",
						"nsq.consumer.default-requeue-delay=10s", "nsq.consumer.max-requeue-delay=2m",
						"nsq.consumer.msg-timeout=90s", "nsq.consumer.max-msg-size=1MB",
						"nsq.consumer.backoff.strategy=full-jitter", "nsq.consumer.backoff.multiplier=500ms",
						"nsq.consumer.backoff.max=30s")
				.run((context) -> {
					NsqConfig config = context.getBean(NsqConfig.class);
					assertThat(config.connection().getClientId()).isEqualTo("billing-1");
					assertThat(config.connection().getHostname()).isEqualTo("host.example");
					assertThat(config.connection().getUserAgent()).isEqualTo("shop/2");
					assertThat(config.connection().getDialTimeout()).isEqualTo(Duration.ofSeconds(2));
					assertThat(config.connection().getReadTimeout()).isEqualTo(Duration.ofSeconds(45));
					assertThat(config.connection().getWriteTimeout()).isEqualTo(Duration.ofSeconds(3));
					assertThat(config.connection().getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
					assertThat(config.connection().getAuthSecret()).isEqualTo("s3cr3t");
					assertThat(config.toString()).doesNotContain("s3cr3t");
					assertThat(config.connection().isDeflate()).isTrue();
					assertThat(config.connection().isSnappy()).isFalse();
					assertThat(config.connection().getDeflateLevel()).isEqualTo(3);
					assertThat(config.connection().getOutputBufferSize()).isEqualTo(32 * 1024);
					assertThat(config.connection().getOutputBufferTimeout()).isEqualTo(Duration.ofMillis(100));
					assertThat(config.connection().getSampleRate()).isEqualTo(10);
					assertThat(config.lookupd().getPollInterval()).isEqualTo(Duration.ofSeconds(15));
					assertThat(config.lookupd().getPollJitter()).isEqualTo(0.1);
					assertThat(config.lookupd().getPollTimeout()).isEqualTo(Duration.ofSeconds(5));
					assertThat(config.consumer().getMaxInFlight()).isEqualTo(50);
					assertThat(config.consumer().getMaxAttempts()).isEqualTo(7);
					assertThat(config.consumer().getDefaultRequeueDelay()).isEqualTo(Duration.ofSeconds(10));
					assertThat(config.consumer().getMaxRequeueDelay()).isEqualTo(Duration.ofMinutes(2));
					assertThat(config.consumer().getMsgTimeout()).isEqualTo(Duration.ofSeconds(90));
					assertThat(config.consumer().getMaxMsgSize()).isEqualTo(1024 * 1024);
					assertThat(config.consumer().getBackoffStrategy()).isSameAs(BackoffStrategy.FULL_JITTER);
					assertThat(config.consumer().getBackoffMultiplier()).isEqualTo(Duration.ofMillis(500));
					assertThat(config.consumer().getMaxBackoffDuration()).isEqualTo(Duration.ofSeconds(30));
				});
		}

		@Test
		void appliesProducerPropertiesToTheProducerSectionThatTheProducerUses() {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
				.withPropertyValues("nsq.nsqd.addresses=127.0.0.1:4150,127.0.0.1:4152",
						"nsq.producer.strategy=failover", "nsq.producer.max-pending=100",
						"nsq.producer.pending-timeout=250ms", "nsq.producer.close-timeout=2s",
						"nsq.producer.sync-wait-spin=50us")
				.run((context) -> {
					NsqProducerConfig producer = context.getBean(NsqConfig.class).producer();
					assertThat(producer.getStrategy()).isEqualTo(PublishStrategy.FAILOVER);
					assertThat(producer.getMaxPendingCommands()).isEqualTo(100);
					assertThat(producer.getPendingTimeout()).isEqualTo(Duration.ofMillis(250));
					assertThat(producer.getCloseTimeout()).isEqualTo(Duration.ofSeconds(2));
					assertThat(producer.getSyncWaitSpin()).isEqualTo(Duration.ofNanos(50_000));
					assertThat(context.getBean(NsqProducer.class)).asString()
						.startsWith("BalancingProducer[FAILOVER, ");
				});
		}

		@Test
		void goNsqNamedOptionsAreAppliedLast() {
			NsqAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.consumer.max-in-flight=5",
						"nsq.client.properties.rdy_redistribute_interval=2s", "nsq.client.properties.max_in_flight=9")
				.run((context) -> {
					NsqConfig config = context.getBean(NsqConfig.class);
					assertThat(config.consumer().getRdyRedistributeInterval()).isEqualTo(Duration.ofSeconds(2));
					assertThat(config.consumer().getMaxInFlight()).isEqualTo(9);
				});
		}

		@Test
		void invalidValueFailsStartupNamingTheOption() {
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.client.deflate-level=12")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("deflate_level")
					.hasStackTraceContaining("12"));
		}

		@Test
		void sslEnabledAsksForTls() {
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.client.ssl.enabled=true")
				.run((context) -> assertThat(context.getBean(NsqConfig.class).connection().isTlsV1()).isTrue());
		}

		@Test
		void unknownSslBundleFailsStartup() {
			NsqAutoConfigurationTests.this.contextRunner
				.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
				.withPropertyValues("nsq.client.ssl.bundle=missing")
				.run((context) -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("missing"));
		}

		@Test
		void customizersRunInOrderAfterTheProperties() {
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.consumer.max-in-flight=5")
				.withUserConfiguration(OrderedConfigCustomizers.class)
				.run((context) -> assertThat(context.getBean(NsqConfig.class).consumer().getMaxInFlight())
					.isEqualTo(7));
		}

		@Test
		void whenHasUserDefinedConfigDoesNotAutoConfigureBean() {
			NsqConfig custom = NsqConfig.builder().consumer((consumer) -> consumer.maxInFlight(42)).build();
			NsqAutoConfigurationTests.this.contextRunner.withBean(NsqConfig.class, () -> custom).run((context) -> {
				assertThat(context).getBean(NsqConfig.class).isSameAs(custom);
				assertThat(context.getBean(DefaultNsqConsumerFactory.class).getConfig()).isSameAs(custom);
			});
		}

	}

	@Nested
	class TemplateTests {

		@Test
		void appliesDefaultTopic() {
			NsqAutoConfigurationTests.this.contextRunner.withPropertyValues("nsq.template.default-topic=events")
				.run((context) -> assertThat(context.getBean(NsqTemplate.class).getDefaultTopic()).isEqualTo("events"));
		}

		@Test
		void usesTheDefaultConverterWithBootsJsonMapper() {
			NsqAutoConfigurationTests.this.contextRunner
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
				.run((context) -> {
					assertThat(context).hasSingleBean(JsonMapper.class);
					assertThat(context.getBean(NsqTemplate.class).getMessageConverter())
						.isSameAs(context.getBean(DefaultNsqMessageConverter.class));
				});
		}

		@Test
		void whenHasUserDefinedNsqMessageConverterItReplacesTheDefault() {
			NsqMessageConverter custom = new DefaultNsqMessageConverter();
			NsqAutoConfigurationTests.this.contextRunner.withBean("custom", NsqMessageConverter.class, () -> custom)
				.run((context) -> {
					assertThat(context).getBeans(NsqMessageConverter.class).containsOnlyKeys("custom");
					assertThat(context.getBean(NsqTemplate.class).getMessageConverter()).isSameAs(custom);
				});
		}

		@Test
		void genericMessageConverterBeansOfOtherLibrariesAreIgnored() {
			StringMessageConverter other = new StringMessageConverter();
			NsqAutoConfigurationTests.this.contextRunner
				.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
				.withBean(MessageConverter.class, () -> other)
				.run((context) -> {
					assertThat(context).hasSingleBean(DefaultNsqMessageConverter.class);
					assertThat(context.getBean(NsqTemplate.class).getMessageConverter())
						.isSameAs(context.getBean(DefaultNsqMessageConverter.class));
				});
		}

		@Test
		void worksWithoutJackson() {
			NsqAutoConfigurationTests.this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(DefaultNsqMessageConverter.class));
		}

		@Test
		void whenHasUserDefinedOperationsDoesNotAutoConfigureTemplate() {
			NsqOperations custom = mock(NsqOperations.class);
			NsqAutoConfigurationTests.this.contextRunner.withBean(NsqOperations.class, () -> custom)
				.run((context) -> assertThat(context).doesNotHaveBean(NsqTemplate.class)
					.getBean(NsqOperations.class)
					.isSameAs(custom));
		}

		@Test
		void whenHasUserDefinedProducerTheTemplateUsesIt() {
			NsqAutoConfigurationTests.this.contextRunner
				.run((context) -> assertThat(context.getBean(NsqTemplate.class).getProducer())
					.isSameAs(context.getBean(NsqProducer.class)));
		}

	}

	@Nested
	class ListenerTests {

		@Test
		void whenHasUserDefinedConsumerFactoryDoesNotAutoConfigureBean() {
			CapturingConsumerFactory custom = new CapturingConsumerFactory();
			NsqAutoConfigurationTests.this.contextRunner.withBean(NsqConsumerFactory.class, () -> custom)
				.run((context) -> {
					assertThat(context).doesNotHaveBean(DefaultNsqConsumerFactory.class);
					assertThat(context.getBean(ConcurrentNsqListenerContainerFactory.class).getConsumerFactory())
						.isSameAs(custom);
				});
		}

		@Test
		void whenHasUserDefinedContainerFactoryDoesNotAutoConfigureBean() {
			NsqAutoConfigurationTests.this.contextRunner.withUserConfiguration(CustomContainerFactory.class)
				.run((context) -> assertThat(context).getBean("nsqListenerContainerFactory")
					.isSameAs(context.getBean(CustomContainerFactory.class).factory));
		}

		@Test
		void anotherContainerFactoryKeepsTheDefault() {
			NsqAutoConfigurationTests.this.contextRunner.withUserConfiguration(SecondContainerFactory.class)
				.run((context) -> assertThat(context).getBeans(ConcurrentNsqListenerContainerFactory.class)
					.containsKeys("nsqListenerContainerFactory", "bulkFactory"));
		}

		@Test
		void containerFactoryIsConfiguredFromProperties() {
			NsqAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(CapturingConsumerConfiguration.class, NoChannelListener.class)
				.withPropertyValues("nsq.listener.default-channel=audit", "nsq.consumer.concurrency=4",
						"nsq.listener.auto-startup=false", "nsq.listener.shutdown-timeout=12s",
						"nsq.consumer.max-in-flight=25", "nsq.consumer.max-attempts=9")
				.run((context) -> {
					NsqMessageListenerContainer container = context.getBean(NsqListenerEndpointRegistry.class)
						.getListenerContainer("noChannel");
					assertThat(container).isNotNull();
					assertThat(container.isAutoStartup()).isFalse();
					assertThat(container.isRunning()).isFalse();
					assertThat(container.getContainerProperties().getChannel()).isEqualTo("audit");
					assertThat(container.getContainerProperties().getConcurrency()).isEqualTo(4);
					assertThat(container.getContainerProperties().getShutdownTimeout())
						.isEqualTo(Duration.ofSeconds(12));
					assertThat(container.getContainerProperties().getMaxInFlight()).isEqualTo(25);
					assertThat(container.getContainerProperties().getMaxAttempts()).isEqualTo(9);
				});
		}

		@Test
		void listenerTypeBatchMakesListenersBatchListenersUnlessTheySayOtherwise() {
			NsqAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(CapturingConsumerConfiguration.class, SingleAndDefaultListeners.class)
				.withPropertyValues("nsq.listener.default-channel=audit", "nsq.listener.type=batch")
				.run((context) -> {
					NsqListenerEndpointRegistry registry = context.getBean(NsqListenerEndpointRegistry.class);
					assertThat(registry.getListenerContainer("byDefault").getContainerProperties().isBatchListener())
						.isTrue();
					assertThat(registry.getListenerContainer("single").getContainerProperties().isBatchListener())
						.isFalse();
				});
			NsqAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(CapturingConsumerConfiguration.class, NoChannelListener.class)
				.withPropertyValues("nsq.listener.default-channel=audit")
				.run((context) -> assertThat(context.getBean(NsqListenerEndpointRegistry.class)
					.getListenerContainer("noChannel")
					.getContainerProperties()
					.isBatchListener()).isFalse());
		}

		@ParameterizedTest
		@CsvSource({ "30, 13", "60, 43", "10, 1" })
		void shutdownTimeoutDefaultsToTheLifecyclePhaseTimeoutLessTheStopGrace(long phaseSeconds,
				long expectedSeconds) {
			// a stop may take STOP_GRACE (17 s) beyond the shutdown timeout: Spring waits
			// for the whole of it within the phase
			NsqAutoConfigurationTests.this.contextRunner
				.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=" + phaseSeconds + "s")
				.withBean(NsqConsumerFactory.class, CapturingConsumerFactory::new)
				.withUserConfiguration(NoChannelListener.class)
				.withPropertyValues("nsq.listener.default-channel=audit")
				.run((context) -> assertThat(context.getBean(NsqListenerEndpointRegistry.class)
					.getListenerContainer("noChannel")
					.getContainerProperties()
					.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(expectedSeconds)));
		}

		@Test
		@ExtendWith(OutputCaptureExtension.class)
		void aShutdownTimeoutThatDoesNotFitTheShutdownPhaseIsKeptWithAWarning(CapturedOutput output) {
			NsqAutoConfigurationTests.this.contextRunner
				.withBean(NsqConsumerFactory.class, CapturingConsumerFactory::new)
				.withUserConfiguration(NoChannelListener.class)
				.withPropertyValues("nsq.listener.default-channel=audit", "nsq.listener.shutdown-timeout=20s")
				.run((context) -> {
					assertThat(context.getBean(NsqListenerEndpointRegistry.class)
						.getListenerContainer("noChannel")
						.getContainerProperties()
						.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
					assertThat(output).contains("exceeds spring.lifecycle.timeout-per-shutdown-phase (PT30S)")
						.contains("Set spring.lifecycle.timeout-per-shutdown-phase to at least PT37S");
				});
		}

		@Test
		void listenerWithoutChannelAndNoDefaultChannelFailsStartup() {
			NsqAutoConfigurationTests.this.contextRunner
				.withBean(NsqConsumerFactory.class, CapturingConsumerFactory::new)
				.withUserConfiguration(NoChannelListener.class)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("has no channel")
					.hasStackTraceContaining("nsq.listener.default-channel"));
		}

		@Test
		void deadLetterPropertyEnablesDeadLetterRecoverer() {
			NsqAutoConfigurationTests.this.contextRunner
				.withPropertyValues("nsq.listener.dead-letter.enabled=true", "nsq.listener.dead-letter.suffix=_dlq")
				.run((context) -> {
					DeadLetterPublishingRecoverer recoverer = context.getBean(DeadLetterPublishingRecoverer.class);
					assertThat(recoverer.resolveDestination(new TestNsqMessage("x", 5), "orders", "billing",
							new IllegalStateException()))
						.isEqualTo("orders_dlq");
					assertThat(recoverer).hasFieldOrPropertyWithValue("operations", context.getBean(NsqTemplate.class));
					NsqErrorHandler errorHandler = context.getBean(ConcurrentNsqListenerContainerFactory.class)
						.getContainerProperties()
						.getErrorHandler();
					assertThat(errorHandler).isInstanceOf(DefaultNsqErrorHandler.class);
					assertThat(((DefaultNsqErrorHandler) errorHandler).getRecoverer()).isSameAs(recoverer);
				});
		}

		@Test
		void whenHasUserDefinedErrorHandlerTheFactoryUsesIt() {
			NsqErrorHandler custom = (message, exception, container) -> message.finish();
			NsqAutoConfigurationTests.this.contextRunner.withBean(NsqErrorHandler.class, () -> custom)
				.run((context) -> assertThat(context.getBean(ConcurrentNsqListenerContainerFactory.class)
					.getContainerProperties()
					.getErrorHandler()).isSameAs(custom));
		}

		@Test
		void containerCustomizerBeansAreApplied() {
			NsqAutoConfigurationTests.this.contextRunner
				.withBean(NsqConsumerFactory.class, CapturingConsumerFactory::new)
				.withUserConfiguration(NoChannelListener.class, PhaseCustomizer.class)
				.withPropertyValues("nsq.listener.default-channel=audit")
				.run((context) -> assertThat(
						context.getBean(NsqListenerEndpointRegistry.class).getListenerContainer("noChannel").getPhase())
					.isEqualTo(42));
		}

		@Test
		void interceptorFilterAndListenerConsumerCustomizerBeansAreAppliedByTheConfigurer() {
			NsqMessageInterceptor interceptor = new NsqMessageInterceptor() {
			};
			NsqMessageFilterStrategy filter = (message) -> false;
			NsqListenerConsumerCustomizer customizer = (spec) -> spec.config().set("msg_timeout", "2m");
			NsqAutoConfigurationTests.this.contextRunner.withUserConfiguration(SecondContainerFactory.class)
				.withBean(NsqMessageInterceptor.class, () -> interceptor)
				.withBean(NsqMessageFilterStrategy.class, () -> filter)
				.withBean(NsqListenerConsumerCustomizer.class, () -> customizer)
				.run((context) -> assertThat(context.getBeansOfType(ConcurrentNsqListenerContainerFactory.class))
					.hasSize(2)
					.allSatisfy((name, factory) -> {
						NsqContainerProperties template = factory.getContainerProperties();
						assertThat(template.getMessageInterceptor()).isSameAs(interceptor);
						assertThat(template.getFilterStrategy()).isSameAs(filter);
						assertThat(template.getConsumerCustomizers()).containsExactly(customizer);
					}));
		}

		@Test
		void containerCustomizerBeansAreAppliedByTheConfigurer() {
			NsqAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(SecondContainerFactory.class, PhaseCustomizer.class)
				.run((context) -> assertThat(context.getBeansOfType(ConcurrentNsqListenerContainerFactory.class))
					.hasSize(2)
					.allSatisfy(
							(name, factory) -> assertThat(factory.createContainer("orders", "billing", (message) -> {
							}).getPhase()).as(name).isEqualTo(42)));
		}

		@Test
		void factoryCustomizerBeansGoToTheAutoConfiguredFactoryOnly() {
			NsqAutoConfigurationTests.this.contextRunner.withUserConfiguration(SecondContainerFactory.class)
				.withBean(NsqContainerFactoryCustomizer.class,
						() -> (factory) -> factory.setDefaultChannel("from-customizer"))
				.run((context) -> {
					assertThat(
							context.getBean("nsqListenerContainerFactory", ConcurrentNsqListenerContainerFactory.class)
								.getDefaultChannel())
						.isEqualTo("from-customizer");
					assertThat(context.getBean("bulkFactory", ConcurrentNsqListenerContainerFactory.class)
						.getDefaultChannel()).isNotEqualTo("from-customizer");
				});
		}

		@Test
		void factoryCustomizerBeansAreApplied() {
			NsqAutoConfigurationTests.this.contextRunner
				.withBean(NsqConsumerFactory.class, CapturingConsumerFactory::new)
				.withUserConfiguration(NoChannelListener.class)
				.withBean(NsqContainerFactoryCustomizer.class,
						() -> (factory) -> factory.setDefaultChannel("from-customizer"))
				.withPropertyValues("nsq.listener.default-channel=audit")
				.run((context) -> assertThat(context.getBean(NsqListenerEndpointRegistry.class)
					.getListenerContainer("noChannel")
					.getContainerProperties()
					.getChannel()).isEqualTo("from-customizer"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedConfigCustomizers {

		@Bean
		@Order(2)
		NsqConfigBuilderCustomizer second() {
			return (builder) -> builder.consumer((consumer) -> consumer.maxInFlight(7));
		}

		@Bean
		@Order(1)
		NsqConfigBuilderCustomizer first() {
			return (builder) -> builder.consumer((consumer) -> consumer.maxInFlight(6));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomContainerFactory {

		final ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(
				new CapturingConsumerFactory());

		@Bean
		ConcurrentNsqListenerContainerFactory nsqListenerContainerFactory() {
			return this.factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondContainerFactory {

		@Bean
		ConcurrentNsqListenerContainerFactory bulkFactory(ConcurrentNsqListenerContainerFactoryConfigurer configurer,
				NsqConsumerFactory consumerFactory) {
			ConcurrentNsqListenerContainerFactory factory = new ConcurrentNsqListenerContainerFactory(consumerFactory);
			configurer.configure(factory);
			return factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoChannelListener {

		final List<String> received = new ArrayList<>();

		@NsqListener(id = "noChannel", topic = "orders")
		void onMessage(String message) {
			this.received.add(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SingleAndDefaultListeners {

		@NsqListener(id = "byDefault", topic = "orders", maxInFlight = "10")
		void onMessages(List<String> messages) {
		}

		@NsqListener(id = "single", topic = "orders", channel = "single", batch = "false")
		void onMessage(String message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PhaseCustomizer {

		@Bean
		ContainerCustomizer<DefaultNsqMessageListenerContainer> phaseCustomizer() {
			return (container) -> container.setPhase(42);
		}

	}

}
