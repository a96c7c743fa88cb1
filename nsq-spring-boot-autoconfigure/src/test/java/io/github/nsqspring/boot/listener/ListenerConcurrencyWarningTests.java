package io.github.nsqspring.boot.listener;

import java.util.List;

import io.github.nsqspring.boot.annotation.NsqListener;
import io.github.nsqspring.boot.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.boot.test.CapturingConsumerConfiguration;
import io.github.nsqspring.core.producer.NsqProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * A listener whose threads can never all be busy, because nsqd never has more than max in
 * flight messages out to its consumer, is reported at startup with a warning naming the
 * listener and the numbers.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenerConcurrencyWarningTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
		.withBean(NsqProducer.class, () -> mock(NsqProducer.class))
		.withUserConfiguration(CapturingConsumerConfiguration.class);

	@Test
	void concurrencyAboveMaxInFlightIsReportedAtStartup(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(RecordListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output)
				.contains("Listener 'starved' (orders/starved): concurrency (8) exceeds max in flight (3)")
				.contains("5 listener thread(s) will stay idle");
			assertThat(output).doesNotContain("Listener 'balanced'").doesNotContain("Listener 'equal'");
		});
	}

	@Test
	void concurrencyFromPropertiesAboveMaxInFlightFromPropertiesIsReported(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(PlainListener.class)
			.withPropertyValues("nsq.consumer.concurrency=4")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).as("max in flight defaults to 1")
					.contains("Listener 'plain' (orders/plain): concurrency (4) exceeds max in flight (1)");
			});
	}

	@Test
	void maxInFlightFromListenerPropertiesCounts(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(PlainListener.class, GoNsqNamedListener.class)
			.withPropertyValues("nsq.consumer.concurrency=4", "nsq.consumer.max-in-flight=4")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output)
					.contains("Listener 'named' (orders/named): concurrency (4) exceeds max in flight (2)")
					.doesNotContain("Listener 'plain'");
			});
	}

	@Test
	void batchListenerIsReportedWhenNotEveryThreadCanHaveAFullBatch(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(BatchListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output)
				.contains("Batch listener 'halfFed' (documents/half-fed): concurrency (4) x batch size (50) exceeds "
						+ "max in flight (100)")
				.contains("at most 2 full batch(es) can be processed at once")
				.contains("Raise max in flight to 200");
			assertThat(output).doesNotContain("Batch listener 'fed'");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordListeners {

		@NsqListener(id = "starved", topic = "orders", channel = "starved", concurrency = "8", maxInFlight = "3")
		void starved(String body) {
		}

		@NsqListener(id = "balanced", topic = "orders", channel = "balanced", concurrency = "2", maxInFlight = "20")
		void balanced(String body) {
		}

		@NsqListener(id = "equal", topic = "orders", channel = "equal", concurrency = "5", maxInFlight = "5")
		void equal(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainListener {

		@NsqListener(id = "plain", topic = "orders", channel = "plain")
		void plain(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GoNsqNamedListener {

		@NsqListener(id = "named", topic = "orders", channel = "named", properties = "max_in_flight=2")
		void named(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BatchListeners {

		@NsqListener(id = "halfFed", topic = "documents", channel = "half-fed", batch = "true", concurrency = "4",
				batchSize = "50", maxInFlight = "100")
		void halfFed(List<String> bodies) {
		}

		@NsqListener(id = "fed", topic = "documents", channel = "fed", batch = "true", concurrency = "2",
				batchSize = "50", maxInFlight = "100")
		void fed(List<String> bodies) {
		}

	}

}
