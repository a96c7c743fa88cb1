package io.github.nsqspring.core.protocol;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class NsqErrorCodeTests {

	private static final Set<NsqErrorCode> NON_FATAL = EnumSet.of(NsqErrorCode.E_FIN_FAILED, NsqErrorCode.E_REQ_FAILED,
			NsqErrorCode.E_TOUCH_FAILED);

	private static final Set<NsqErrorCode> AUTH = EnumSet.of(NsqErrorCode.E_AUTH_FIRST, NsqErrorCode.E_AUTH_FAILED,
			NsqErrorCode.E_UNAUTHORIZED, NsqErrorCode.E_AUTH_DISABLED, NsqErrorCode.E_AUTH_ERROR);

	@Test
	void catalogueMatchesTheReference() {
		assertThat(NsqErrorCode.values()).extracting(Enum::name)
			.containsExactlyInAnyOrder("E_BAD_PROTOCOL", "E_INVALID", "E_BAD_BODY", "E_BAD_TOPIC", "E_BAD_CHANNEL",
					"E_BAD_MESSAGE", "E_IDENTIFY_FAILED", "E_AUTH_FIRST", "E_AUTH_FAILED", "E_UNAUTHORIZED",
					"E_AUTH_DISABLED", "E_AUTH_ERROR", "E_SUB_FAILED", "E_PUB_FAILED", "E_MPUB_FAILED", "E_DPUB_FAILED",
					"E_FIN_FAILED", "E_REQ_FAILED", "E_TOUCH_FAILED", "UNKNOWN");
	}

	@ParameterizedTest
	@EnumSource(value = NsqErrorCode.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
	void everyCodeIsParsedWithAndWithoutDescription(NsqErrorCode code) {
		assertThat(NsqErrorCode.fromFrameText(code.name())).isEqualTo(code);
		assertThat(NsqErrorCode.fromFrameText(code.name() + " some description")).isEqualTo(code);
		assertThat(NsqErrorCode.fromFrameText(code.name() + " ")).isEqualTo(code);
	}

	@ParameterizedTest
	@EnumSource(NsqErrorCode.class)
	void onlyFinReqTouchFailuresAreNonFatal(NsqErrorCode code) {
		assertThat(code.isFatal()).isEqualTo(!NON_FATAL.contains(code));
	}

	@ParameterizedTest
	@EnumSource(NsqErrorCode.class)
	void authCodes(NsqErrorCode code) {
		assertThat(code.isAuthError()).isEqualTo(AUTH.contains(code));
	}

	@Test
	void realErrorTexts() {
		assertThat(NsqErrorCode.fromFrameText("E_INVALID cannot SUB in current state"))
			.isEqualTo(NsqErrorCode.E_INVALID);
		assertThat(NsqErrorCode.fromFrameText("E_BAD_TOPIC E_BAD_TOPIC MPUB topic name \"x y\" is not valid"))
			.isEqualTo(NsqErrorCode.E_BAD_TOPIC);
		assertThat(NsqErrorCode.fromFrameText("E_FIN_FAILED FIN 0a1b2c3d4e5f6789 failed ID not in flight"))
			.isEqualTo(NsqErrorCode.E_FIN_FAILED);
		assertThat(NsqErrorCode.fromFrameText("E_BAD_BODY IDENTIFY heartbeat interval (500) is invalid"))
			.isEqualTo(NsqErrorCode.E_BAD_BODY);
	}

	@Test
	void unknownTexts() {
		for (String text : new String[] { "", " ", "OK", "E_", "E_NEW_CODE something", "E_INVALIDX x", "e_invalid x",
				"UNKNOWN", " E_INVALID leading space", "INVALID" }) {
			assertThat(NsqErrorCode.fromFrameText(text)).as("\"%s\"", text).isEqualTo(NsqErrorCode.UNKNOWN);
		}
		assertThat(NsqErrorCode.UNKNOWN.isFatal()).isTrue();
	}

}
