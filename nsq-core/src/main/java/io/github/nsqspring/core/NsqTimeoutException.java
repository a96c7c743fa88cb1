package io.github.nsqspring.core;

/**
 * An operation did not complete within its time limit (dial, read, write, waiting for an
 * answer or for room among pending commands).
 */
public class NsqTimeoutException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqTimeoutException(String message) {
		super(message);
	}

	/**
	 * Create an exception with its cause.
	 * @param message what went wrong, naming the bad value where there is one
	 * @param cause the underlying failure
	 */
	public NsqTimeoutException(String message, Throwable cause) {
		super(message, cause);
	}

}
