package io.github.nsqspring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.nsqspring.boot.admin.NsqAdmin;
import io.github.nsqspring.boot.admin.NsqDeclarer;
import io.github.nsqspring.boot.config.ConcurrentNsqListenerContainerFactory;
import io.github.nsqspring.boot.config.ContainerCustomizer;
import io.github.nsqspring.boot.listener.DefaultNsqMessageListenerContainer;
import io.github.nsqspring.core.producer.NsqProducer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The admin and declaration beans of {@link NsqAutoConfiguration} and their
 * {@code nsq.admin.*} properties (nothing here talks to nsqd).
 */
class NsqAdminAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class));

	@Test
	void adminUsesTheConnectionDetailsAddresses() {
		this.contextRunner
			.withPropertyValues("nsq.nsqd.http-addresses=127.0.0.1:4151,127.0.0.1:4251",
					"nsq.lookupd.addresses=127.0.0.1:4161")
			.run((context) -> {
				NsqAdmin admin = context.getBean(NsqAdmin.class);
				assertThat(admin.getNsqdHttpAddresses()).containsExactly("127.0.0.1:4151", "127.0.0.1:4251");
				assertThat(admin.getLookupdAddresses()).containsExactly("127.0.0.1:4161");
				assertThat(context).hasSingleBean(NsqDeclarer.class);
			});
	}

	@Test
	void propertiesAreApplied() {
		this.contextRunner
			.withPropertyValues("nsq.admin.timeout=2s", "nsq.admin.fail-on-error=true", "nsq.admin.retry-interval=3s")
			.run((context) -> {
				assertThat(context.getBean(NsqAdmin.class)).hasFieldOrPropertyWithValue("timeout",
						Duration.ofSeconds(2));
				assertThat(context.getBean(NsqDeclarer.class)).hasFieldOrPropertyWithValue("failOnError", true)
					.hasFieldOrPropertyWithValue("retryInterval", Duration.ofSeconds(3));
			});
	}

	@Test
	void defaultsAreTheLibrarysDefaults() {
		NsqProperties.Admin admin = new NsqProperties().getAdmin();
		assertThat(admin.getTimeout()).isEqualTo(NsqAdmin.DEFAULT_TIMEOUT);
		assertThat(admin.getRetryInterval()).isEqualTo(NsqDeclarer.DEFAULT_RETRY_INTERVAL);
		assertThat(admin.isFailOnError()).isFalse();
		assertThat(admin.isDeclareListenerChannels()).isTrue();
	}

	@Test
	void listenerContainersDeclareTheirChannelThroughTheDeclarer() {
		this.contextRunner.run((context) -> {
			DefaultNsqMessageListenerContainer container = context.getBean(ConcurrentNsqListenerContainerFactory.class)
				.createContainer("orders", "billing", (message) -> {
				});
			assertThat(ReflectionTestUtils.getField(container, "channelDeclarer"))
				.isSameAs(context.getBean(NsqDeclarer.class));
		});
	}

	@Test
	void listenersOfAFactoryBuiltWithTheConfigurerDeclareTheirChannel() {
		this.contextRunner.withUserConfiguration(NsqAutoConfigurationTests.SecondContainerFactory.class)
			.run((context) -> {
				DefaultNsqMessageListenerContainer container = context
					.getBean("bulkFactory", ConcurrentNsqListenerContainerFactory.class)
					.createContainer("orders", "bulk", (message) -> {
					});
				assertThat(ReflectionTestUtils.getField(container, "channelDeclarer"))
					.isSameAs(context.getBean(NsqDeclarer.class));
			});
	}

	@Test
	void listenerChannelDeclarationCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("nsq.admin.declare-listener-channels=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ContainerCustomizer.class);
			DefaultNsqMessageListenerContainer container = context.getBean(ConcurrentNsqListenerContainerFactory.class)
				.createContainer("orders", "billing", (message) -> {
				});
			assertThat(ReflectionTestUtils.getField(container, "channelDeclarer")).isNull();
		});
	}

	@Test
	void whenHasUserDefinedAdminAndDeclarerTheyAreUsed() {
		NsqAdmin admin = new NsqAdmin(List.of("10.0.0.1:4151"), List.of());
		NsqDeclarer declarer = new NsqDeclarer(admin);
		this.contextRunner.withBean(NsqAdmin.class, () -> admin)
			.withBean(NsqDeclarer.class, () -> declarer)
			.run((context) -> {
				assertThat(context).getBean(NsqAdmin.class).isSameAs(admin);
				assertThat(context).getBean(NsqDeclarer.class).isSameAs(declarer);
			});
	}

}
