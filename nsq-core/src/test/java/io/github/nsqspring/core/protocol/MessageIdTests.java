package io.github.nsqspring.core.protocol;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MessageIdTests {

	@Test
	void bytesSurviveTheTwoLongs() {
		for (String text : new String[] { "0a1b2c3d4e5f6789", "ffffffffffffffff", "0000000000000000" }) {
			byte[] id = text.getBytes(StandardCharsets.US_ASCII);
			long high = MessageId.high(id);
			long low = MessageId.low(id);
			assertThat(MessageId.toBytes(high, low)).isEqualTo(id);
			assertThat(MessageId.toText(high, low)).isEqualTo(text);
		}
	}

	@Test
	void everyByteValueSurvives() {
		byte[] id = new byte[16];
		for (int value = 0; value < 256; value++) {
			for (int i = 0; i < 16; i++) {
				id[i] = (byte) (value + i);
			}
			assertThat(MessageId.toBytes(MessageId.high(id), MessageId.low(id))).isEqualTo(id);
		}
	}

	@Test
	void idOfAnotherLengthIsRejectedNamingItsLength() {
		assertThatIllegalArgumentException().isThrownBy(() -> MessageId.high(new byte[15])).withMessageContaining("15");
		assertThatIllegalArgumentException().isThrownBy(() -> MessageId.low(new byte[17])).withMessageContaining("17");
	}

}
