package io.github.nsqspring.boot.admin;

import io.github.nsqspring.core.NsqInvalidNameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Names of declarations are checked when they are created.
 */
class NsqDeclarablesTests {

	@Test
	void topicWithChannelsDeclaresTheTopicAndEachChannel() {
		assertThat(NsqDeclarables.topicWithChannels("orders", "billing", "audit").getDeclarables()).containsExactly(
				new NsqTopic("orders"), new NsqChannel("orders", "billing"), new NsqChannel("orders", "audit"));
	}

	@Test
	void invalidNamesAreRejectedNamingTheValue() {
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> new NsqTopic("bad topic"))
			.withMessageContaining("bad topic");
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> new NsqChannel("orders", ""))
			.withMessageContaining("channel");
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> NsqDeclarables.topicWithChannels("orders", "a".repeat(65)))
			.withMessageContaining("a".repeat(65));
	}

	@Test
	void ephemeralNamesAreRejectedSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> new NsqChannel("orders", "tmp#ephemeral"))
			.withMessageContaining("orders/tmp#ephemeral")
			.withMessageContaining("last consumer");
		assertThatIllegalArgumentException().isThrownBy(() -> new NsqTopic("tmp#ephemeral"))
			.withMessageContaining("tmp#ephemeral");
	}

}
