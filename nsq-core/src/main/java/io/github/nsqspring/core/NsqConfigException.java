package io.github.nsqspring.core;

/**
 * A configuration value is invalid. The message names the option, the rejected value and
 * the allowed range.
 */
public class NsqConfigException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqConfigException(String message) {
		super(message);
	}

	/**
	 * Create an exception with its cause.
	 * @param message what went wrong, naming the bad value where there is one
	 * @param cause the underlying failure
	 */
	public NsqConfigException(String message, Throwable cause) {
		super(message, cause);
	}

}
