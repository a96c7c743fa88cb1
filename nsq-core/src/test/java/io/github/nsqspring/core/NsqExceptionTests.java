package io.github.nsqspring.core;

import io.github.nsqspring.core.json.JsonParseException;
import io.github.nsqspring.core.protocol.NsqErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class NsqExceptionTests {

	@ParameterizedTest
	@EnumSource(value = NsqErrorCode.class,
			names = { "E_AUTH_FIRST", "E_AUTH_FAILED", "E_UNAUTHORIZED", "E_AUTH_DISABLED", "E_AUTH_ERROR" })
	void authCodesBecomeAuthExceptions(NsqErrorCode code) {
		String text = code.name() + " AUTH failed";
		NsqProtocolException ex = NsqProtocolException.fromErrorFrame(text);
		assertThat(ex).isInstanceOf(NsqAuthException.class);
		assertThat(ex.code()).isEqualTo(code);
		assertThat(ex.serverText()).isEqualTo(text);
		assertThat(ex.isFatal()).isTrue();
		assertThat(ex.getMessage()).contains(text).contains("authentication");
	}

	@ParameterizedTest
	@EnumSource(value = NsqErrorCode.class,
			names = { "E_AUTH_FIRST", "E_AUTH_FAILED", "E_UNAUTHORIZED", "E_AUTH_DISABLED", "E_AUTH_ERROR" },
			mode = EnumSource.Mode.EXCLUDE)
	void otherCodesBecomeProtocolExceptions(NsqErrorCode code) {
		String text = (code == NsqErrorCode.UNKNOWN) ? "E_SOMETHING_NEW x" : code.name() + " description";
		NsqProtocolException ex = NsqProtocolException.fromErrorFrame(text);
		assertThat(ex).isExactlyInstanceOf(NsqProtocolException.class);
		assertThat(ex.code()).isEqualTo(code);
		assertThat(ex.serverText()).isEqualTo(text);
		assertThat(ex.isFatal()).isEqualTo(code.isFatal());
		assertThat(ex.getMessage()).contains(text);
	}

	@Test
	void nonFatalErrors() {
		assertThat(NsqProtocolException.fromErrorFrame("E_FIN_FAILED FIN x failed ID not in flight").isFatal())
			.isFalse();
		assertThat(NsqProtocolException.fromErrorFrame("E_REQ_FAILED REQ x failed").isFatal()).isFalse();
		assertThat(NsqProtocolException.fromErrorFrame("E_TOUCH_FAILED TOUCH x failed").isFatal()).isFalse();
		assertThat(NsqProtocolException.fromErrorFrame("E_INVALID x").isFatal()).isTrue();
	}

	@Test
	void secretRequiredNamesTheAddressAndIsAuthFirst() {
		NsqAuthException ex = NsqAuthException.secretRequired("127.0.0.1:4150");
		assertThat(ex.code()).isEqualTo(NsqErrorCode.E_AUTH_FIRST);
		assertThat(ex.isFatal()).isTrue();
		assertThat(ex.getMessage()).contains("127.0.0.1:4150").contains("auth_secret");
	}

	@Test
	void everyExceptionIsAnUncheckedNsqException() {
		assertThat(new NsqConfigException("x")).isInstanceOf(NsqException.class);
		assertThat(new NsqConnectionException("x")).isInstanceOf(NsqException.class);
		assertThat(new NsqTimeoutException("x")).isInstanceOf(NsqException.class);
		assertThat(new NsqInvalidMessageException("x")).isInstanceOf(NsqException.class);
		assertThat(new NsqInvalidNameException("x")).isInstanceOf(NsqException.class);
		assertThat(new NsqProtocolException(NsqErrorCode.E_INVALID, "E_INVALID x")).isInstanceOf(NsqException.class);
		assertThat(new NsqAuthException(NsqErrorCode.E_AUTH_FAILED, "E_AUTH_FAILED x"))
			.isInstanceOf(NsqProtocolException.class);
		assertThat(new JsonParseException("x", 0)).isInstanceOf(NsqException.class);
		assertThat(new NsqException("x")).isInstanceOf(RuntimeException.class);
		Throwable cause = new java.io.IOException("io");
		assertThat(new NsqConnectionException("x", cause)).hasCause(cause);
		assertThat(new NsqTimeoutException("x", cause)).hasCause(cause);
		assertThat(new NsqConfigException("x", cause)).hasCause(cause);
	}

}
