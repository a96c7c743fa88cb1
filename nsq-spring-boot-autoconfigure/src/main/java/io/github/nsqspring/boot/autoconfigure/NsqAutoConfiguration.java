package io.github.nsqspring.boot.autoconfigure;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqDeclarer;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.core.DefaultNsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqConsumerBuilderCustomizer;
import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.boot.core.NsqOperations;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.observation.NsqTemplateObservationConvention;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.boot.support.converter.NsqMessageConverter;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.NsqProducerBuilder;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;

/**
 * Auto-configuration for NSQ: the shared {@link NsqConfig} (its sections from
 * {@code nsq.client.*}, {@code nsq.lookupd.*}, {@code nsq.consumer.*} and
 * {@code nsq.producer.*}), an {@link NsqProducer} and an {@link NsqTemplate} for
 * publishing, the payload converter ({@link NsqMessageConverter}, shared by the template
 * and the listeners), the consumer factory, {@link NsqAdmin} and the {@link NsqDeclarer}
 * that creates the application's topics and channels at startup ({@code nsq.admin.*}),
 * and, through {@link NsqAnnotationDrivenConfiguration}, {@code @NsqListener} support.
 * <p>
 * Every bean backs off when the application defines its own; the converter backs off only
 * for an {@link NsqMessageConverter} bean, so the generic {@code MessageConverter} beans
 * of other libraries never take over NSQ payloads. Connection addresses come from the
 * {@link NsqConnectionDetails} bean ({@code nsq.nsqd.*} and {@code nsq.lookupd.*} by
 * default). Nothing connects at startup but the declarations (over HTTP, retried in the
 * background when nsqd is down unless {@code nsq.admin.fail-on-error=true}): the producer
 * connects on its first publish and listeners connect in the background, so the
 * application starts while nsqd or nsqlookupd are down.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration" })
@ConditionalOnClass({ NsqProducer.class, NsqTemplate.class })
@EnableConfigurationProperties(NsqProperties.class)
@Import({ NsqAutoConfiguration.JacksonConverterConfiguration.class,
		NsqAutoConfiguration.PlainConverterConfiguration.class, NsqAnnotationDrivenConfiguration.class })
public final class NsqAutoConfiguration {

	private final NsqProperties properties;

	NsqAutoConfiguration(NsqProperties properties) {
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean(NsqConnectionDetails.class)
	PropertiesNsqConnectionDetails nsqConnectionDetails() {
		return new PropertiesNsqConnectionDetails(this.properties);
	}

	@Bean
	@ConditionalOnMissingBean
	NsqConfig nsqConfig(ObjectProvider<SslBundles> sslBundles, ObjectProvider<NsqConfigBuilderCustomizer> customizers) {
		NsqConfig.Builder builder = new NsqPropertiesMapper(this.properties)
			.toConfigBuilder(sslBundles.getIfAvailable());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	NsqProducer nsqProducer(NsqConnectionDetails connectionDetails, NsqConfig nsqConfig,
			ObjectProvider<NsqProducerBuilderCustomizer> customizers) {
		NsqProducerBuilder builder = NsqProducer.builder();
		new NsqPropertiesMapper(this.properties).applyTo(builder, connectionDetails, nsqConfig);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(NsqOperations.class)
	NsqTemplate nsqTemplate(NsqProducer nsqProducer, ObjectProvider<NsqMessageConverter> messageConverter,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NsqTemplateObservationConvention> observationConvention) {
		NsqMessageConverter converter = messageConverter.getIfUnique(DefaultNsqMessageConverter::create);
		NsqTemplate template = new NsqTemplate(nsqProducer, converter);
		template.setDefaultTopic(this.properties.getTemplate().getDefaultTopic());
		template.setEnvelopeEnabled(this.properties.getEnvelope().isEnabled());
		template.setObservationEnabled(this.properties.getTemplate().isObservationEnabled());
		observationRegistry.ifUnique(template::setObservationRegistry);
		observationConvention.ifUnique(template::setObservationConvention);
		return template;
	}

	@Bean
	@ConditionalOnMissingBean
	NsqAdmin nsqAdmin(NsqConnectionDetails connectionDetails, NsqConfig nsqConfig) {
		return new NsqPropertiesMapper(this.properties).toAdmin(connectionDetails, nsqConfig);
	}

	@Bean
	@ConditionalOnMissingBean
	NsqDeclarer nsqDeclarer(NsqAdmin nsqAdmin) {
		NsqDeclarer declarer = new NsqDeclarer(nsqAdmin);
		new NsqPropertiesMapper(this.properties).applyTo(declarer);
		return declarer;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "nsq.admin.declare-listener-channels", matchIfMissing = true)
	ContainerCustomizer<DefaultNsqMessageListenerContainer> nsqListenerChannelDeclaration(NsqDeclarer nsqDeclarer) {
		return (container) -> container.setChannelDeclarer(nsqDeclarer);
	}

	@Bean
	@ConditionalOnMissingBean(NsqConsumerFactory.class)
	DefaultNsqConsumerFactory nsqConsumerFactory(NsqConnectionDetails connectionDetails, NsqConfig nsqConfig,
			ObjectProvider<NsqConsumerBuilderCustomizer> customizers) {
		DefaultNsqConsumerFactory factory = new DefaultNsqConsumerFactory(nsqConfig,
				connectionDetails.getNsqdAddresses(), connectionDetails.getLookupdAddresses());
		factory.addCustomizers(customizers.orderedStream().toList());
		return factory;
	}

	/**
	 * Payload conversion with JSON through Spring Boot's {@link JsonMapper} (or a default
	 * one).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ JsonMapper.class, JacksonJsonMessageConverter.class })
	static class JacksonConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean(NsqMessageConverter.class)
		DefaultNsqMessageConverter nsqMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
			JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
			return new DefaultNsqMessageConverter(new JacksonJsonMessageConverter(mapper));
		}

	}

	/**
	 * Payload conversion without Jackson: byte[] and String only.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
	static class PlainConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean(NsqMessageConverter.class)
		DefaultNsqMessageConverter nsqMessageConverter() {
			return new DefaultNsqMessageConverter();
		}

	}

}
