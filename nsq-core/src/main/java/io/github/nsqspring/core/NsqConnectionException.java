package io.github.nsqspring.core;

/**
 * The connection to nsqd (or nsqlookupd) failed, was lost, or received bytes that are not
 * valid NSQ protocol. The connection concerned is closed when this is thrown; a new one
 * has to be opened.
 */
public class NsqConnectionException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqConnectionException(String message) {
		super(message);
	}

	/**
	 * Create an exception with its cause.
	 * @param message what went wrong, naming the bad value where there is one
	 * @param cause the underlying failure
	 */
	public NsqConnectionException(String message, Throwable cause) {
		super(message, cause);
	}

}
