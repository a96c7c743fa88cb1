package io.github.nsqspring.boot.support.converter;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

import io.github.nsqspring.boot.support.NsqHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * byte[], String and JSON conversion, and the trust rule of type hints.
 */
class DefaultNsqMessageConverterTests {

	private final DefaultNsqMessageConverter converter = DefaultNsqMessageConverter.create();

	@Test
	void bytesAndStringsStayRawAndCarryNoTypeHint() {
		Message<?> bytes = this.converter.toMessage(new byte[] { 1, 2 }, null);
		Message<?> text = this.converter.toMessage("hello", null);
		assertThat(bytes.getPayload()).isEqualTo(new byte[] { 1, 2 });
		assertThat(text.getPayload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
		assertThat(bytes.getHeaders()).doesNotContainKey(NsqHeaders.TYPE);
		assertThat(text.getHeaders()).doesNotContainKey(NsqHeaders.TYPE);
	}

	@Test
	void bodiesBecomeStringsAsUtf8AndBytesAsTheyAreWithoutAContentType() {
		byte[] body = "grüße".getBytes(StandardCharsets.UTF_8);
		Message<byte[]> message = MessageBuilder.withPayload(body).build();
		assertThat(this.converter.fromMessage(message, String.class)).isEqualTo("grüße");
		assertThat(this.converter.fromMessage(message, byte[].class)).isSameAs(body);
	}

	@Test
	void aContentTypeCharsetDecidesHowABodyBecomesAString() {
		byte[] body = "grüße".getBytes(StandardCharsets.ISO_8859_1);
		Message<byte[]> message = MessageBuilder.withPayload(body)
			.setHeader(MessageHeaders.CONTENT_TYPE, "text/plain;charset=ISO-8859-1")
			.build();
		assertThat(this.converter.fromMessage(message, String.class)).isEqualTo("grüße");
	}

	@Test
	void otherTypesBecomeJsonWithTheirTypeAsHint() {
		Message<?> message = this.converter.toMessage(new Shipped("A-1", "DHL"), null);
		assertThat(new String((byte[]) message.getPayload(), StandardCharsets.UTF_8))
			.isEqualTo("{\"order\":\"A-1\",\"carrier\":\"DHL\"}");
		assertThat(message.getHeaders()).containsEntry(NsqHeaders.TYPE, Shipped.class.getName());
	}

	@Test
	void interfaceParameterReceivesTheHintedImplementation() {
		assertThat(this.converter.fromMessage(shipped(Shipped.class.getName()), OrderEvent.class))
			.isEqualTo(new Shipped("A-1", "DHL"));
	}

	@Test
	void hintOfAClassNotAssignableToTheParameterIsIgnored() {
		// Unrelated has the same JSON shape: the hint alone must not choose it
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> this.converter.fromMessage(shipped(Unrelated.class.getName()), OrderEvent.class));
	}

	@Test
	void hintOfAnUnknownClassIsIgnored() {
		// as without a hint: an Object parameter gets the body
		assertThat(this.converter.fromMessage(shipped("com.example.Missing"), Object.class)).isInstanceOf(byte[].class);
	}

	@Test
	void concreteParameterTypesWinOverTheHint() {
		assertThat(this.converter.fromMessage(shipped(Shipped.class.getName()), Returned.class))
			.isEqualTo(new Returned("A-1", "DHL"));
	}

	@Test
	void jdkParameterTypesUseTheHintOnlyForTrustedPackages() {
		Message<byte[]> message = shipped(Shipped.class.getName());
		assertThat(this.converter.fromMessage(message, Object.class)).isInstanceOf(byte[].class);
		assertThat(this.converter.fromMessage(message, Serializable.class)).isNotInstanceOf(Shipped.class);
		this.converter.setTrustedPackages(Shipped.class.getPackageName());
		assertThat(this.converter.fromMessage(message, Object.class)).isEqualTo(new Shipped("A-1", "DHL"));
		this.converter.setTrustedPackages("*");
		assertThat(this.converter.fromMessage(message, Object.class)).isEqualTo(new Shipped("A-1", "DHL"));
	}

	@Test
	void withoutJsonSupportOtherTypesFailSayingWhatToAdd() {
		DefaultNsqMessageConverter plain = new DefaultNsqMessageConverter();
		assertThatExceptionOfType(MessageConversionException.class)
			.isThrownBy(() -> plain.toMessage(new Shipped("A-1", "DHL"), null))
			.withMessageContaining("jackson-databind")
			.withMessageContaining("NsqMessageConverter");
	}

	private static Message<byte[]> shipped(String typeHint) {
		return MessageBuilder.withPayload("{\"order\":\"A-1\",\"carrier\":\"DHL\"}".getBytes(StandardCharsets.UTF_8))
			.setHeader(NsqHeaders.TYPE, typeHint)
			.build();
	}

	sealed interface OrderEvent permits Shipped {

	}

	record Shipped(String order, String carrier) implements OrderEvent, Serializable {
	}

	record Returned(String order, String carrier) {
	}

	record Unrelated(String order, String carrier) {
	}

}
