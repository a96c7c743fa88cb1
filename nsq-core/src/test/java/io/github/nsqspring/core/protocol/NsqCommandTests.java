package io.github.nsqspring.core.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.nsqspring.core.NsqInvalidMessageException;
import io.github.nsqspring.core.NsqInvalidNameException;
import org.junit.jupiter.api.Test;

import static io.github.nsqspring.core.protocol.TestFrames.ascii;
import static io.github.nsqspring.core.protocol.TestFrames.bytes;
import static io.github.nsqspring.core.protocol.TestFrames.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class NsqCommandTests {

	private static final byte[] ID = ascii("0a1b2c3d4e5f6789");

	private static byte[] written(NsqCommand command) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		command.writeTo(out);
		byte[] bytes = out.toByteArray();
		assertThat(command.toBytes()).as("toBytes equals writeTo").isEqualTo(bytes);
		return bytes;
	}

	@Test
	void magicIsTwoSpacesV2() {
		assertThat(NsqCommand.MAGIC_V2).containsExactly(0x20, 0x20, 0x56, 0x32);
	}

	@Test
	void identify() throws IOException {
		byte[] json = "{\"client_id\":\"c\",\"feature_negotiation\":true}".getBytes(StandardCharsets.UTF_8);
		NsqCommand command = NsqCommand.identify(json);
		assertThat(written(command)).isEqualTo(concat(ascii("IDENTIFY\n"), bytes(0, 0, 0, json.length), json));
		assertThat(command.name()).isEqualTo("IDENTIFY");
		assertThat(command.expectsResponse()).isTrue();
		assertThat(command.messageCount()).isZero();
	}

	@Test
	void authSendsTheSecretButNeverPrintsIt() throws IOException {
		byte[] secret = ascii("s3cr3t-token");
		NsqCommand command = NsqCommand.auth(secret);
		assertThat(written(command)).isEqualTo(concat(ascii("AUTH\n"), bytes(0, 0, 0, 12), secret));
		assertThat(command.toString()).doesNotContain("s3cr3t").isEqualTo("AUTH <secret>");
		assertThat(command.expectsResponse()).isTrue();
	}

	@Test
	void sub() throws IOException {
		assertThat(written(NsqCommand.sub("orders", "billing"))).isEqualTo(ascii("SUB orders billing\n"));
		assertThat(written(NsqCommand.sub("t.1_x-y", "c#ephemeral"))).isEqualTo(ascii("SUB t.1_x-y c#ephemeral\n"));
		assertThat(NsqCommand.sub("t", "c").expectsResponse()).isTrue();
		assertThat(NsqCommand.sub("t", "c").toString()).isEqualTo("SUB t c");
	}

	@Test
	void pubWithAMultiByteLength() throws IOException {
		byte[] body = new byte[300];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) i;
		}
		NsqCommand command = NsqCommand.pub("events", body);
		assertThat(written(command)).isEqualTo(concat(ascii("PUB events\n"), bytes(0x00, 0x00, 0x01, 0x2C), body));
		assertThat(command.bodySize()).isEqualTo(300);
		assertThat(command.largestMessage()).isEqualTo(300);
		assertThat(command.messageCount()).isEqualTo(1);
		assertThat(command.expectsResponse()).isTrue();
		assertThat(command.toString()).isEqualTo("PUB events <300 bytes>");
	}

	@Test
	void mpubBodyIsSizeCountAndItems() throws IOException {
		byte[] a = ascii("a");
		byte[] b = ascii("bcd");
		byte[] c = new byte[256];
		NsqCommand command = NsqCommand.mpub("events", List.of(a, b, c));
		// body size = 4 (count) + (4 + 1) + (4 + 3) + (4 + 256) = 276 = 0x114
		assertThat(command.bodySize()).isEqualTo(276);
		assertThat(written(command)).isEqualTo(concat(ascii("MPUB events\n"), bytes(0, 0, 0x01, 0x14),
				bytes(0, 0, 0, 3), bytes(0, 0, 0, 1), a, bytes(0, 0, 0, 3), b, bytes(0, 0, 0x01, 0x00), c));
		assertThat(command.messageCount()).isEqualTo(3);
		assertThat(command.largestMessage()).isEqualTo(256);
		assertThat(command.expectsResponse()).isTrue();
		assertThat(command.toString()).isEqualTo("MPUB events <3 messages>");
	}

	@Test
	void mpubOfOneMessage() throws IOException {
		assertThat(written(NsqCommand.mpub("t", List.of(ascii("xy"))))).isEqualTo(
				concat(ascii("MPUB t\n"), bytes(0, 0, 0, 10), bytes(0, 0, 0, 1), bytes(0, 0, 0, 2), ascii("xy")));
	}

	@Test
	void mpubKeepsTheBatchAsGiven() throws IOException {
		List<byte[]> batch = new ArrayList<>(List.of(ascii("one"), ascii("two")));
		NsqCommand command = NsqCommand.mpub("t", batch);
		batch.clear();
		assertThat(command.messageCount()).isEqualTo(2);
		assertThat(written(command)).endsWith(concat(bytes(0, 0, 0, 3), ascii("two")));
	}

	@Test
	void mpubLargerThanTheLengthFieldIsRejected() {
		// 600 references to one 4 MiB array: a 2.4 GB batch without allocating it
		byte[] fourMiB = new byte[4 * 1024 * 1024];
		List<byte[]> batch = Collections.nCopies(600, fourMiB);
		assertThatExceptionOfType(NsqInvalidMessageException.class).isThrownBy(() -> NsqCommand.mpub("t", batch))
			.withMessageContaining("2516584804");
	}

	@Test
	void dpub() throws IOException {
		assertThat(written(NsqCommand.dpub("events", 1500, ascii("late"))))
			.isEqualTo(concat(ascii("DPUB events 1500\n"), bytes(0, 0, 0, 4), ascii("late")));
		assertThat(written(NsqCommand.dpub("events", 0, ascii("x"))))
			.isEqualTo(concat(ascii("DPUB events 0\n"), bytes(0, 0, 0, 1), ascii("x")));
		NsqCommand command = NsqCommand.dpub("events", 3_600_000, ascii("x"));
		assertThat(command.messageCount()).isEqualTo(1);
		assertThat(command.expectsResponse()).isTrue();
	}

	@Test
	void rdy() throws IOException {
		assertThat(written(NsqCommand.rdy(0))).isEqualTo(ascii("RDY 0\n"));
		assertThat(written(NsqCommand.rdy(2500))).isEqualTo(ascii("RDY 2500\n"));
		assertThat(NsqCommand.rdy(1).expectsResponse()).isFalse();
		assertThat(NsqCommand.rdy(1).bodySize()).isZero();
	}

	@Test
	void finReqTouchCarryTheRawId() throws IOException {
		assertThat(written(NsqCommand.fin(ID))).isEqualTo(ascii("FIN 0a1b2c3d4e5f6789\n"));
		assertThat(written(NsqCommand.req(ID, 0))).isEqualTo(ascii("REQ 0a1b2c3d4e5f6789 0\n"));
		assertThat(written(NsqCommand.req(ID, 90_000))).isEqualTo(ascii("REQ 0a1b2c3d4e5f6789 90000\n"));
		assertThat(written(NsqCommand.touch(ID))).isEqualTo(ascii("TOUCH 0a1b2c3d4e5f6789\n"));
		// the id is copied byte for byte, whatever it holds
		byte[] raw = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x7F, 0xFF);
		assertThat(written(NsqCommand.fin(raw))).isEqualTo(concat(ascii("FIN "), raw, ascii("\n")));
		assertThat(NsqCommand.fin(ID).expectsResponse()).isFalse();
		assertThat(NsqCommand.req(ID, 1).expectsResponse()).isFalse();
		assertThat(NsqCommand.touch(ID).expectsResponse()).isFalse();
		assertThat(NsqCommand.fin(ID).toString()).isEqualTo("FIN 0a1b2c3d4e5f6789");
	}

	@Test
	void clsAndNop() throws IOException {
		assertThat(written(NsqCommand.cls())).isEqualTo(ascii("CLS\n"));
		assertThat(written(NsqCommand.nop())).isEqualTo(ascii("NOP\n"));
		assertThat(NsqCommand.cls().expectsResponse()).isTrue();
		assertThat(NsqCommand.nop().expectsResponse()).isFalse();
		assertThat(NsqCommand.nop().name()).isEqualTo("NOP");
	}

	@Test
	void invalidTopicNamesAreRejectedWithTheValue() {
		for (String bad : new String[] { "", "has space", "slash/", "x".repeat(65), "#ephemeral", "t#other", "ünicode",
				"t\n" }) {
			assertThatExceptionOfType(NsqInvalidNameException.class).as(bad)
				.isThrownBy(() -> NsqCommand.pub(bad, ascii("x")))
				.withMessageContaining("topic")
				.withMessageContaining("\"" + bad + "\"");
			assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> NsqCommand.sub(bad, "c"))
				.withMessageContaining("\"" + bad + "\"");
			assertThatExceptionOfType(NsqInvalidNameException.class)
				.isThrownBy(() -> NsqCommand.mpub(bad, List.of(ascii("x"))));
			assertThatExceptionOfType(NsqInvalidNameException.class)
				.isThrownBy(() -> NsqCommand.dpub(bad, 0, ascii("x")));
			assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> NsqCommand.sub("t", bad))
				.withMessageContaining("channel")
				.withMessageContaining("\"" + bad + "\"");
		}
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> NsqCommand.pub(null, ascii("x")))
			.withMessageContaining("null");
	}

	@Test
	void publishesEncodedWithoutACommandObjectAreByteForByteTheCommands() throws IOException {
		byte[] first = ascii("first");
		byte[] second = ascii("second message");
		ByteArrayOutputStream pub = new ByteArrayOutputStream();
		NsqCommand.writePub(pub, NsqCommand.pubLine("orders"), first);
		assertThat(pub.toByteArray()).isEqualTo(written(NsqCommand.pub("orders", first)));
		ByteArrayOutputStream mpub = new ByteArrayOutputStream();
		NsqCommand.writeMpubStart(mpub, NsqCommand.mpubLine("orders"), 2, 4 + first.length + 4 + second.length);
		NsqCommand.writeMessage(mpub, first);
		NsqCommand.writeMessage(mpub, second);
		assertThat(mpub.toByteArray()).isEqualTo(written(NsqCommand.mpub("orders", List.of(first, second))));
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> NsqCommand.pubLine("bad topic"))
			.withMessageContaining("\"bad topic\"");
		assertThatExceptionOfType(NsqInvalidMessageException.class)
			.isThrownBy(() -> NsqCommand.requireMessageBody(new byte[0]))
			.withMessageContaining("message body is empty");
	}

	@Test
	void emptyMessagesAreRejected() {
		assertThatExceptionOfType(NsqInvalidMessageException.class).isThrownBy(() -> NsqCommand.pub("t", new byte[0]))
			.withMessageContaining("empty");
		assertThatExceptionOfType(NsqInvalidMessageException.class)
			.isThrownBy(() -> NsqCommand.dpub("t", 10, new byte[0]))
			.withMessageContaining("empty");
		assertThatExceptionOfType(NsqInvalidMessageException.class).isThrownBy(() -> NsqCommand.mpub("t", List.of()))
			.withMessageContaining("empty");
		assertThatExceptionOfType(NsqInvalidMessageException.class)
			.isThrownBy(() -> NsqCommand.mpub("t", List.of(ascii("ok"), new byte[0])))
			.withMessageContaining("message 1 of the batch is empty");
		assertThatNullPointerException().isThrownBy(() -> NsqCommand.pub("t", null));
	}

	@Test
	void negativeNumbersAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.rdy(-1))
			.withMessageContaining("RDY")
			.withMessageContaining("-1");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.req(ID, -5))
			.withMessageContaining("REQ")
			.withMessageContaining("-5");
		assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.dpub("t", -1, ascii("x")))
			.withMessageContaining("DPUB")
			.withMessageContaining("-1");
	}

	@Test
	void idsMustBeSixteenBytes() {
		for (int length : new int[] { 0, 15, 17, 32 }) {
			byte[] id = new byte[length];
			assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.fin(id))
				.withMessageContaining("16 bytes, was " + length);
			assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.req(id, 0))
				.withMessageContaining("16 bytes, was " + length);
			assertThatIllegalArgumentException().isThrownBy(() -> NsqCommand.touch(id))
				.withMessageContaining("16 bytes, was " + length);
		}
		assertThatNullPointerException().isThrownBy(() -> NsqCommand.fin(null));
	}

}
