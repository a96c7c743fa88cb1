package io.github.nsqspring.core.protocol;

import io.github.nsqspring.core.NsqInvalidNameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class NsqNamesTests {

	@Test
	void validNames() {
		for (String name : new String[] { "a", "orders", "Orders.v2", "a_b-c.d", "0", "-", ".", "_", "x".repeat(64),
				"c#ephemeral", "x".repeat(54) + "#ephemeral",
				"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".substring(0, 64) }) {
			assertThat(NsqNames.isValid(name)).as("\"%s\"", name).isTrue();
			assertThat(NsqNames.requireValidTopic(name)).isSameAs(name);
			assertThat(NsqNames.requireValidChannel(name)).isSameAs(name);
		}
	}

	@Test
	void lengthLimitIncludesTheEphemeralSuffix() {
		assertThat(NsqNames.isValid("x".repeat(64))).isTrue();
		assertThat(NsqNames.isValid("x".repeat(65))).isFalse();
		assertThat(NsqNames.isValid("x".repeat(54) + "#ephemeral")).isTrue();
		assertThat(NsqNames.isValid("x".repeat(55) + "#ephemeral")).isFalse();
	}

	@Test
	void invalidNames() {
		for (String name : new String[] { "", "#ephemeral", "a#ephemeral#ephemeral", "a#Ephemeral", "a#", "#a", "a b",
				"a/b", "a:b", "a*", "é", "a\u0000", "a\n", "tab\t", "a#ephemeral ", " a" }) {
			assertThat(NsqNames.isValid(name)).as("\"%s\"", name).isFalse();
		}
		assertThat(NsqNames.isValid(null)).isFalse();
	}

	@Test
	void ephemeral() {
		assertThat(NsqNames.isEphemeral("c#ephemeral")).isTrue();
		assertThat(NsqNames.isEphemeral("c")).isFalse();
		assertThat(NsqNames.isEphemeral("ephemeral")).isFalse();
	}

	@Test
	void errorNamesKindValueAndRule() {
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> NsqNames.requireValidTopic("bad topic"))
			.withMessageContaining("invalid topic name \"bad topic\"")
			.withMessageContaining("1-64")
			.withMessageContaining("[.a-zA-Z0-9_-]")
			.withMessageContaining("#ephemeral");
		assertThatExceptionOfType(NsqInvalidNameException.class)
			.isThrownBy(() -> NsqNames.requireValidChannel("#ephemeral"))
			.withMessageContaining("invalid channel name \"#ephemeral\"");
		assertThatExceptionOfType(NsqInvalidNameException.class).isThrownBy(() -> NsqNames.requireValidChannel(null))
			.withMessageContaining("invalid channel name null");
	}

}
