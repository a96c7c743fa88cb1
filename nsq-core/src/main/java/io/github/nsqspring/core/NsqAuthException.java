package io.github.nsqspring.core;

import io.github.nsqspring.core.protocol.NsqErrorCode;

/**
 * Authentication is required, failed or was refused: nsqd answered {@code E_AUTH_FIRST},
 * {@code E_AUTH_FAILED}, {@code E_UNAUTHORIZED}, {@code E_AUTH_DISABLED} or
 * {@code E_AUTH_ERROR}, or nsqd requires AUTH and no secret is configured (then
 * {@link #code()} is {@link NsqErrorCode#E_AUTH_FIRST}). Always fatal for the connection.
 * The message never contains the secret.
 */
public class NsqAuthException extends NsqProtocolException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception from nsqd's answer.
	 * @param code the error code nsqd answered with
	 * @param serverText nsqd's error text
	 */
	public NsqAuthException(NsqErrorCode code, String serverText) {
		super(code, serverText, "nsqd refused authentication: " + serverText);
	}

	/**
	 * The exception for an nsqd that requires AUTH while no secret is configured.
	 * @param address the nsqd address
	 * @return the exception (not thrown)
	 */
	public static NsqAuthException secretRequired(String address) {
		return new NsqAuthException(NsqErrorCode.E_AUTH_FIRST, "E_AUTH_FIRST nsqd " + address
				+ " requires AUTH (auth_required=true) but no auth_secret is configured");
	}

}
