package io.github.nsqspring.boot.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.boot.support.NsqHeaders;
import io.github.nsqspring.boot.support.converter.DefaultNsqMessageConverter;
import io.github.nsqspring.core.NsqConnectionException;
import io.github.nsqspring.core.NsqInvalidNameException;
import io.github.nsqspring.core.producer.NsqProducer;
import io.github.nsqspring.core.producer.PublishResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class NsqTemplateTests {

	private final NsqProducer producer = mock(NsqProducer.class);

	private final NsqTemplate template = new NsqTemplate(this.producer, DefaultNsqMessageConverter.create());

	@BeforeEach
	void answerOk() {
		given(this.producer.publishAsync(anyString(), any()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), 1));
		given(this.producer.deferredPublishAsync(anyString(), any(), any()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), 1));
		given(this.producer.multiPublishAsync(anyString(), anyList()))
			.willAnswer((invocation) -> done(invocation.getArgument(0), invocation.<List<?>>getArgument(1).size()));
		given(this.producer.publish(anyString(), any()))
			.willAnswer((invocation) -> result(invocation.getArgument(0), 1));
		given(this.producer.deferredPublish(anyString(), any(), any()))
			.willAnswer((invocation) -> result(invocation.getArgument(0), 1));
		given(this.producer.multiPublish(anyString(), anyList()))
			.willAnswer((invocation) -> result(invocation.getArgument(0), invocation.<List<?>>getArgument(1).size()));
	}

	@Test
	void sendsBytesAsIsAndStringsAsUtf8() {
		byte[] bytes = { 1, 2, 3 };
		this.template.send("raw", bytes);
		then(this.producer).should().publish("raw", bytes);
		NsqSendResult result = this.template.send("text", "grüße");
		then(this.producer).should().publish(eq("text"), eq("grüße".getBytes(StandardCharsets.UTF_8)));
		assertThat(result).isEqualTo(new NsqSendResult("text", 1, "127.0.0.1:4150"));
	}

	@Test
	void sendsOtherObjectsAsJson() {
		this.template.send("orders", new Order("A-1", 3));
		assertThat(publishedBody("orders")).isEqualTo("{\"id\":\"A-1\",\"quantity\":3}");
	}

	@Test
	void sendWithoutTopicUsesTheDefaultTopic() {
		this.template.setDefaultTopic("events");
		this.template.send("hello");
		then(this.producer).should().publish(eq("events"), any());
	}

	@Test
	void sendWithoutTopicAndNoDefaultTopicSaysWhatToSet() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.template.send("hello"))
			.withMessageContaining("no default topic")
			.withMessageContaining("nsq.template.default-topic");
	}

	@Test
	void invalidTopicFailsBeforeAnythingIsSent() {
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> this.template.sendAsync("bad topic!", "x"))
			.withMessageContaining("bad topic!");
		then(this.producer).shouldHaveNoInteractions();
	}

	@Test
	void sendDeferredUsesDpub() {
		this.template.sendDeferred("later", "x", Duration.ofSeconds(5));
		then(this.producer).should().deferredPublish(eq("later"), eq(Duration.ofSeconds(5)), any());
		this.template.sendDeferredAsync("later", "y", Duration.ofSeconds(6)).join();
		then(this.producer).should().deferredPublishAsync(eq("later"), eq(Duration.ofSeconds(6)), any());
	}

	@Test
	void sendDeferredOfAMessageSendsItsPayloadWithTheGivenDelay() {
		this.template.sendDeferred("later",
				MessageBuilder.withPayload(new Order("D", 4)).setHeader(NsqHeaders.DELAY, 100L).build(),
				Duration.ofSeconds(5));
		ArgumentCaptor<byte[]> body = ArgumentCaptor.forClass(byte[].class);
		then(this.producer).should().deferredPublish(eq("later"), eq(Duration.ofSeconds(5)), body.capture());
		assertThat(new String(body.getValue(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"D\",\"quantity\":4}");
		this.template.sendDeferredAsync("later", MessageBuilder.withPayload("e").build(), Duration.ofSeconds(6)).join();
		then(this.producer).should()
			.deferredPublishAsync(eq("later"), eq(Duration.ofSeconds(6)), eq("e".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void sendBatchRefusesAMessageItCannotDefer() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.template.sendBatch("batch",
					List.of("a", MessageBuilder.withPayload("b").setHeader(NsqHeaders.DELAY, 1500L).build())))
			.withMessageContaining("Message 1 of the batch")
			.withMessageContaining(NsqHeaders.DELAY + "=1500")
			.withMessageContaining("sendDeferred");
		then(this.producer).shouldHaveNoInteractions();
	}

	@Test
	void sendMessageWithDelayHeaderUsesDpub() {
		this.template.send("later", MessageBuilder.withPayload("x").setHeader(NsqHeaders.DELAY, 1500L).build());
		then(this.producer).should().deferredPublish(eq("later"), eq(Duration.ofMillis(1500)), any());
	}

	@Test
	void sendMessageSendsItsPayload() {
		this.template.send("orders", MessageBuilder.withPayload(new Order("B", 1)).build());
		assertThat(publishedBody("orders")).isEqualTo("{\"id\":\"B\",\"quantity\":1}");
	}

	@Test
	void sendBatchUsesMpub() {
		NsqSendResult result = this.template.sendBatch("batch", List.of("a", new Order("C", 2)));
		@SuppressWarnings("unchecked")
		ArgumentCaptor<List<byte[]>> bodies = ArgumentCaptor.forClass(List.class);
		then(this.producer).should().multiPublish(eq("batch"), bodies.capture());
		assertThat(bodies.getValue()).extracting((body) -> new String(body, StandardCharsets.UTF_8))
			.containsExactly("a", "{\"id\":\"C\",\"quantity\":2}");
		assertThat(result.messageCount()).isEqualTo(2);
	}

	@Test
	void blockingSendsTakeTheProducersSynchronousPath() {
		this.template.send("sync", "a");
		this.template.sendBatch("sync", List.of("b", "c"));
		then(this.producer).should().publish(eq("sync"), any());
		then(this.producer).should().multiPublish(eq("sync"), anyList());
		then(this.producer).should(never()).publishAsync(anyString(), any());
		then(this.producer).should(never()).multiPublishAsync(anyString(), anyList());
	}

	@Test
	void asynchronousSendsReturnTheProducersFuture() {
		CompletableFuture<PublishResult> pending = new CompletableFuture<>();
		given(this.producer.publishAsync(eq("async"), any())).willReturn(pending);
		CompletableFuture<NsqSendResult> future = this.template.sendAsync("async", "a");
		assertThat(future).isNotDone();
		pending.complete(new PublishResult("127.0.0.1:4150", "async", 1));
		assertThat(future.join()).isEqualTo(new NsqSendResult("async", 1, "127.0.0.1:4150"));
		then(this.producer).should(never()).publish(anyString(), any());
	}

	@Test
	void blockingSendThrowsTheProducersException() {
		given(this.producer.publish(anyString(), any())).willThrow(new NsqConnectionException("connection lost"));
		assertThatExceptionOfType(NsqConnectionException.class).isThrownBy(() -> this.template.send("t", "x"))
			.withMessage("connection lost");
	}

	@Test
	void templateBuiltFromTheProducerAloneConvertsToJsonAsListenersDo() {
		NsqTemplate plain = new NsqTemplate(this.producer);
		plain.send("orders", new Order("A", 1));
		assertThat(publishedBody("orders")).isEqualTo("{\"id\":\"A\",\"quantity\":1}");
	}

	@Test
	void withoutJsonSupportOtherTypesFailWithAClearMessage() {
		NsqTemplate plain = new NsqTemplate(this.producer, new DefaultNsqMessageConverter());
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> plain.send("orders", new Order("A", 1)))
			.withMessageContaining("jackson-databind");
	}

	private String publishedBody(String topic) {
		ArgumentCaptor<byte[]> body = ArgumentCaptor.forClass(byte[].class);
		then(this.producer).should().publish(eq(topic), body.capture());
		return new String(body.getValue(), StandardCharsets.UTF_8);
	}

	private static CompletableFuture<PublishResult> done(String topic, int count) {
		return CompletableFuture.completedFuture(result(topic, count));
	}

	private static PublishResult result(String topic, int count) {
		return new PublishResult("127.0.0.1:4150", topic, count);
	}

	record Order(String id, int quantity) {
	}

}
