package io.github.nsqspring.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.github.nsqspring.benchmarks.client.BenchClient;
import io.github.nsqspring.benchmarks.client.BenchClient.SubscribeSpec;
import io.github.nsqspring.boot.annotation.NsqListener;

/**
 * The spring-consume scenario: a minimal Spring Boot application (no web server) whose
 * one {@code @NsqListener} takes the payload as a {@code String}, configured only through
 * {@code nsq.*} properties. The listener returns normally, so the container finishes each
 * message after it.
 */
final class SpringConsumeSupport {

	private SpringConsumeSupport() {
	}

	static BenchmarkRunner.SpringConsume find() {
		return SpringConsumeSupport::start;
	}

	static BenchClient.Subscription start(SubscribeSpec spec, DeliveryTracker tracker) {
		// the harness logs through slf4j-simple; Boot's logging system would reconfigure
		// it
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		List<String> properties = new ArrayList<>();
		if (spec.lookupd().isEmpty()) {
			properties.add("nsq.nsqd.addresses=" + spec.nsqdAddress());
		}
		else {
			properties.add("nsq.lookupd.addresses=" + String.join(",", spec.lookupd()));
		}
		properties.add("nsq.consumer.max-in-flight=" + spec.maxInFlight());
		properties.add("nsq.consumer.concurrency=" + spec.threads());
		if (spec.outputBufferSize() != null) {
			properties.add("nsq.client.output-buffer-size=" + spec.outputBufferSize() + "B");
		}
		if (spec.outputBufferTimeoutMs() != null) {
			properties.add("nsq.client.output-buffer-timeout=" + spec.outputBufferTimeoutMs() + "ms");
		}
		properties.add("bench.topic=" + spec.topic());
		properties.add("bench.channel=" + spec.channel());
		properties.add("spring.main.log-startup-info=false");
		long start = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("deliveryTracker", tracker))
			.run();
		// the listener already consumes while the context starts; this is part of the
		// timed run
		System.out.printf(java.util.Locale.ROOT,
				"  Spring application started in %.2fs (%,d messages handled by then)%n",
				(System.nanoTime() - start) / 1e9, tracker.distinct());
		return context::close;
	}

	/**
	 * The application.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchApplication {

		@Bean
		BenchListener benchListener(DeliveryTracker deliveryTracker) {
			return new BenchListener(deliveryTracker);
		}

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
