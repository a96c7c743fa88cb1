package io.github.nsqspring.core.protocol;

/**
 * Error codes nsqd sends in error frames, with whether nsqd closes the connection after
 * each. Only {@link #E_FIN_FAILED}, {@link #E_REQ_FAILED} and {@link #E_TOUCH_FAILED} are
 * non-fatal.
 */
public enum NsqErrorCode {

	/** Wrong protocol magic. */
	E_BAD_PROTOCOL(true),

	/** Wrong state, bad or missing parameters, unknown command, value out of range. */
	E_INVALID(true),

	/** Body length, JSON or field range problems (IDENTIFY, AUTH, MPUB). */
	E_BAD_BODY(true),

	/** Invalid topic name. */
	E_BAD_TOPIC(true),

	/** Invalid channel name. */
	E_BAD_CHANNEL(true),

	/** Message length not in 1..max-msg-size, or unreadable. */
	E_BAD_MESSAGE(true),

	/** Feature negotiation or upgrade failed. */
	E_IDENTIFY_FAILED(true),

	/** A command that needs authentication came before AUTH. */
	E_AUTH_FIRST(true),

	/** The auth server failed or answered invalidly. */
	E_AUTH_FAILED(true),

	/** Not permitted for this topic/channel, or no authorizations. */
	E_UNAUTHORIZED(true),

	/** AUTH sent to an nsqd with no auth server configured. */
	E_AUTH_DISABLED(true),

	/** nsqd failed to process AUTH internally. */
	E_AUTH_ERROR(true),

	/** Channel or topic is being deleted, or max channel consumers reached. */
	E_SUB_FAILED(true),

	/** Topic exiting or backend write failure. */
	E_PUB_FAILED(true),

	/** Topic exiting or backend write failure. */
	E_MPUB_FAILED(true),

	/** Topic exiting or backend write failure. */
	E_DPUB_FAILED(true),

	/** Message not in flight (timed out or already answered) or not owned: non-fatal. */
	E_FIN_FAILED(false),

	/** Message not in flight, not owned, or channel exiting: non-fatal. */
	E_REQ_FAILED(false),

	/** Message not in flight or not owned: non-fatal. */
	E_TOUCH_FAILED(false),

	/** A code this client does not know; treated as fatal, as nsqd does for new codes. */
	UNKNOWN(true);

	private final boolean fatal;

	NsqErrorCode(boolean fatal) {
		this.fatal = fatal;
	}

	/**
	 * Whether nsqd closes the connection after sending this error.
	 * @return {@code true} for all but the FIN/REQ/TOUCH failures
	 */
	public boolean isFatal() {
		return this.fatal;
	}

	/**
	 * Whether this is one of the authentication codes.
	 * @return {@code true} for E_AUTH_FIRST, E_AUTH_FAILED, E_UNAUTHORIZED,
	 * E_AUTH_DISABLED, E_AUTH_ERROR
	 */
	public boolean isAuthError() {
		return this == E_AUTH_FIRST || this == E_AUTH_FAILED || this == E_UNAUTHORIZED || this == E_AUTH_DISABLED
				|| this == E_AUTH_ERROR;
	}

	/**
	 * The code of an error frame's text: the text up to the first space, or the whole
	 * text.
	 * @param frameText the error frame body, e.g.
	 * {@code "E_INVALID cannot SUB in current state"}
	 * @return the code, {@link #UNKNOWN} when not recognised
	 */
	public static NsqErrorCode fromFrameText(String frameText) {
		int space = frameText.indexOf(' ');
		String name = (space < 0) ? frameText : frameText.substring(0, space);
		if (name.startsWith("E_")) {
			for (NsqErrorCode code : values()) {
				if (code != UNKNOWN && code.name().equals(name)) {
					return code;
				}
			}
		}
		return UNKNOWN;
	}

}
