package io.github.nsqspring.core;

/**
 * A configuration value is invalid. The message names the option, the rejected value and
 * the allowed range.
 */
public class NsqConfigException extends NsqException {

	private static final long serialVersionUID = 1L;

	public NsqConfigException(String message) {
		super(message);
	}

	public NsqConfigException(String message, Throwable cause) {
		super(message, cause);
	}

}
