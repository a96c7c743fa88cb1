package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.github.nsqspring.benchmarks.client.BenchClient;
import io.github.nsqspring.benchmarks.client.BenchClient.SubscribeSpec;
import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;
import io.github.nsqspring.boot.core.NsqTemplate;
import io.github.nsqspring.boot.listener.NsqMessageListenerContainer;

/**
 * The scenarios through the Spring layer, each in a minimal Spring Boot application (no
 * web server) configured only through {@code nsq.*} properties, as a user's would be:
 * <ul>
 * <li>spring-consume: one {@code @NsqListener} takes the payload as a {@code String}; it
 * returns normally, so the container finishes each message after it;</li>
 * <li>template-send and template-send-async: the harness's callers publish through the
 * auto-configured {@link NsqTemplate} ({@code send} and {@code sendAsync} with a
 * {@code byte[]} payload; a batch through {@code sendBatch}).</li>
 * </ul>
 * The application starts before the timed window and stops after it; spring-consume's
 * listener starts only when the runner says so (after its wait for the JIT).
 */
final class SpringLayerSupport implements BenchmarkRunner.SpringLayer {

	@Override
	public BenchClient.Subscription consume(SubscribeSpec spec, DeliveryTracker tracker, Runnable beforeListening) {
		List<String> properties = addresses(spec.nsqdAddress(), spec.lookupd());
		properties.add("nsq.consumer.max-in-flight=" + spec.maxInFlight());
		properties.add("nsq.consumer.concurrency=" + spec.threads());
		if (spec.outputBufferSize() != null) {
			properties.add("nsq.client.output-buffer-size=" + spec.outputBufferSize() + "B");
		}
		if (spec.outputBufferTimeoutMs() != null) {
			properties.add("nsq.client.output-buffer-timeout=" + spec.outputBufferTimeoutMs() + "ms");
		}
		if (spec.virtualThreads()) {
			properties.add("spring.threads.virtual.enabled=true");
		}
		properties.add("bench.topic=" + spec.topic());
		properties.add("bench.channel=" + spec.channel());
		// the listener starts once the application is up and beforeListening ran: the
		// JIT compiling the application's startup would otherwise take CPU inside the
		// window
		properties.add("nsq.listener.auto-startup=false");
		long start = System.nanoTime();
		ConfigurableApplicationContext context = start(ConsumeApplication.class, properties,
				(ctx) -> ctx.getBeanFactory().registerSingleton("deliveryTracker", tracker));
		System.out.printf(Locale.ROOT, "  Spring application started in %.2fs%n", (System.nanoTime() - start) / 1e9);
		try {
			beforeListening.run();
			context.getBean(NsqListenerEndpointRegistry.class)
				.getListenerContainers()
				.forEach(NsqMessageListenerContainer::start);
		}
		catch (RuntimeException | Error ex) {
			context.close();
			throw ex;
		}
		return context::close;
	}

	@Override
	public BenchClient.Publisher templatePublisher(String nsqdAddress) {
		ConfigurableApplicationContext context = start(TemplateApplication.class, addresses(nsqdAddress, List.of()),
				(ctx) -> {
				});
		NsqTemplate template = context.getBean(NsqTemplate.class);
		return new BenchClient.Publisher() {

			@Override
			public void publish(String topic, byte[] body) {
				template.send(topic, body);
			}

			@Override
			public void multiPublish(String topic, List<byte[]> bodies) {
				template.sendBatch(topic, bodies);
			}

			@Override
			public CompletableFuture<?> publishAsync(String topic, byte[] body) {
				return template.sendAsync(topic, body);
			}

			@Override
			public void close() {
				context.close();
			}

		};
	}

	private static List<String> addresses(String nsqdAddress, List<String> lookupd) {
		List<String> properties = new ArrayList<>();
		if (lookupd.isEmpty()) {
			properties.add("nsq.nsqd.addresses=" + nsqdAddress);
		}
		else {
			properties.add("nsq.lookupd.addresses=" + String.join(",", lookupd));
		}
		properties.add("spring.main.log-startup-info=false");
		return properties;
	}

	private static ConfigurableApplicationContext start(Class<?> application, List<String> properties,
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
		// the harness logs through slf4j-simple; Boot's logging system would reconfigure
		// it
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.initializers(initializer)
			.run();
	}

	/**
	 * The spring-consume application.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ConsumeApplication {

		@Bean
		BenchListener benchListener(DeliveryTracker deliveryTracker) {
			return new BenchListener(deliveryTracker);
		}

	}

	/**
	 * The template applications: auto-configuration only.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TemplateApplication {

	}

	/**
	 * The listener: records each body's sequence number, nothing else.
	 */
	public static class BenchListener {

		private final DeliveryTracker tracker;

		BenchListener(DeliveryTracker tracker) {
			this.tracker = tracker;
		}

		@NsqListener(topic = "${bench.topic}", channel = "${bench.channel}")
		public void onMessage(String payload) {
			this.tracker.record(BodyCodec.sequence(payload));
		}

	}

}
