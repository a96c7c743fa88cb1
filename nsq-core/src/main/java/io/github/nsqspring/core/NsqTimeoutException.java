package io.github.nsqspring.core;

/**
 * An operation did not complete within its time limit (dial, read, write, waiting for an
 * answer or for room among pending commands).
 */
public class NsqTimeoutException extends NsqException {

	private static final long serialVersionUID = 1L;

	public NsqTimeoutException(String message) {
		super(message);
	}

	public NsqTimeoutException(String message, Throwable cause) {
		super(message, cause);
	}

}
