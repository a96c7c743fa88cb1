package io.github.nsqspring.core;

/**
 * A topic or channel name does not satisfy nsqd's rule: 1 to 64 bytes of
 * {@code [.a-zA-Z0-9_-]}, optionally ending in {@code #ephemeral}. Thrown before anything
 * is sent, so no connection is affected.
 */
public class NsqInvalidNameException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqInvalidNameException(String message) {
		super(message);
	}

}
