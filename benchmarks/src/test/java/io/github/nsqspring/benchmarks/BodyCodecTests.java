package io.github.nsqspring.benchmarks;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BodyCodecTests {

	@Test
	void roundTripsAsBytesAndAsText() {
		long now = System.nanoTime();
		byte[] body = BodyCodec.encode(123_456_789L, now, 200);
		assertThat(body).hasSize(200);
		assertThat(BodyCodec.sequence(body)).isEqualTo(123_456_789L);
		assertThat(BodyCodec.nanoTime(body)).isEqualTo(now);
		String text = new String(body, StandardCharsets.UTF_8);
		assertThat(text).startsWith("00000000075bcd15 ").endsWith("xxx");
		assertThat(BodyCodec.sequence(text)).isEqualTo(123_456_789L);
		assertThat(BodyCodec.nanoTime(text)).isEqualTo(now);
	}

	@Test
	void negativeClockValuesSurvive() {
		byte[] body = BodyCodec.encode(0, -42L, BodyCodec.HEADER_SIZE);
		assertThat(BodyCodec.nanoTime(body)).isEqualTo(-42L);
		assertThat(BodyCodec.nanoTime(new String(body, StandardCharsets.US_ASCII))).isEqualTo(-42L);
	}

	@Test
	void rejectsForeignBodies() {
		assertThatIllegalArgumentException().isThrownBy(() -> BodyCodec.encode(1, 1, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> BodyCodec.sequence("short".getBytes()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BodyCodec.sequence("zzzzzzzzzzzzzzzz 0000000000000000".getBytes()));
		assertThatIllegalArgumentException().isThrownBy(() -> BodyCodec.sequence("short"))
			.withMessageContaining("5 characters");
		assertThatIllegalArgumentException().isThrownBy(() -> BodyCodec.nanoTime("0000000000000000 00000000000000Zz"))
			.withMessageContaining("character 31");
	}

}
