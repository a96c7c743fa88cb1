package io.github.nsqspring.boot.test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.nsqspring.boot.core.NsqConsumerFactory;
import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.MessageHandler;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

import org.springframework.test.util.ReflectionTestUtils;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A consumer factory that builds nothing real: it keeps what a container configured
 * (config, handler, concurrency) and returns a mock consumer, so tests can deliver
 * messages to the container's handler by hand, as the core consumer would.
 */
public class CapturingConsumerFactory implements NsqConsumerFactory {

	private final NsqConfig config;

	private final Map<String, Created> created = new ConcurrentHashMap<>();

	public CapturingConsumerFactory() {
		this(NsqConfig.defaults());
	}

	public CapturingConsumerFactory(NsqConfig config) {
		this.config = config;
	}

	@Override
	public NsqConfig getConfig() {
		return this.config;
	}

	@Override
	public NsqConsumer createConsumer(String topic, String channel, NsqConfig config,
			Consumer<NsqConsumerBuilder> customizer) {
		NsqConsumerBuilder builder = NsqConsumer.builder(topic, channel).config(config).nsqd("127.0.0.1:4150");
		customizer.accept(builder);
		NsqConsumer consumer = mock(NsqConsumer.class);
		given(consumer.stop(any())).willReturn(CompletableFuture.completedFuture(null));
		given(consumer.topic()).willReturn(topic);
		given(consumer.channel()).willReturn(channel);
		// the configuration the consumer is built with: the container may refine the one
		// it passed (listener-aware customizers, per-listener properties)
		this.created.put(topic + "/" + channel,
				new Created((NsqConfig) ReflectionTestUtils.getField(builder, "config"),
						(MessageHandler) ReflectionTestUtils.getField(builder, "handler"),
						(int) ReflectionTestUtils.getField(builder, "concurrency"), consumer, builder));
		return consumer;
	}

	public Created get(String topic, String channel) {
		return this.created.get(topic + "/" + channel);
	}

	/** The builder the last consumer of a topic and channel was built from. */
	public NsqConsumerBuilder builder(String topic, String channel) {
		return get(topic, channel).builder();
	}

	public boolean hasConsumer(String topic, String channel) {
		return this.created.containsKey(topic + "/" + channel);
	}

	/**
	 * Deliver a message as the core consumer does: call the handler, then answer
	 * automatically unless the message was answered or auto-response disabled.
	 */
	public void deliver(String topic, String channel, TestNsqMessage message) {
		boolean failed = false;
		try {
			get(topic, channel).handler().handle(message);
		}
		catch (Exception ex) {
			failed = true;
		}
		message.autoRespond(failed);
	}

	public record Created(NsqConfig config, MessageHandler handler, int concurrency, NsqConsumer consumer,
			NsqConsumerBuilder builder) {
	}

}
