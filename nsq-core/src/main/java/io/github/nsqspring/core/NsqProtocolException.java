package io.github.nsqspring.core;

import io.github.nsqspring.core.protocol.NsqErrorCode;

/**
 * nsqd answered with an error frame. {@link #code()} is the nsqd error code and
 * {@link #isFatal()} says whether nsqd closes the connection after it: only
 * {@code E_FIN_FAILED}, {@code E_REQ_FAILED} and {@code E_TOUCH_FAILED} leave the
 * connection open.
 */
public class NsqProtocolException extends NsqException {

	private static final long serialVersionUID = 1L;

	/** The error code nsqd answered with. */
	private final NsqErrorCode code;

	/** nsqd's error text, as sent. */
	private final String serverText;

	/**
	 * Create an exception from nsqd's error frame.
	 * @param code the error code nsqd answered with
	 * @param serverText nsqd's error text
	 */
	public NsqProtocolException(NsqErrorCode code, String serverText) {
		this(code, serverText, "nsqd answered with error: " + serverText);
	}

	/**
	 * Create an exception from nsqd's error frame, with a message of its own.
	 * @param code the error code nsqd answered with
	 * @param serverText nsqd's error text
	 * @param message the exception message
	 */
	protected NsqProtocolException(NsqErrorCode code, String serverText, String message) {
		super(message);
		this.code = code;
		this.serverText = serverText;
	}

	/**
	 * Build the exception matching an error frame's text, e.g.
	 * {@code "E_INVALID cannot SUB in current state"}: {@link NsqAuthException} for the
	 * authentication codes, {@link NsqProtocolException} otherwise.
	 * @param frameText the error frame body as text
	 * @return the exception (not thrown)
	 */
	public static NsqProtocolException fromErrorFrame(String frameText) {
		NsqErrorCode code = NsqErrorCode.fromFrameText(frameText);
		if (code.isAuthError()) {
			return new NsqAuthException(code, frameText);
		}
		return new NsqProtocolException(code, frameText);
	}

	/**
	 * The nsqd error code, {@link NsqErrorCode#UNKNOWN} for a code this client does not
	 * know.
	 * @return the code
	 */
	public NsqErrorCode code() {
		return this.code;
	}

	/**
	 * The complete error text sent by nsqd (code and description).
	 * @return the text
	 */
	public String serverText() {
		return this.serverText;
	}

	/**
	 * Whether nsqd closes the connection after this error.
	 * @return {@code true} unless the code is one of the non-fatal ones
	 */
	public boolean isFatal() {
		return this.code.isFatal();
	}

}
