package io.github.nsqspring.core;

/**
 * The connection to nsqd (or nsqlookupd) failed, was lost, or received bytes that are not
 * valid NSQ protocol. The connection concerned is closed when this is thrown; a new one
 * has to be opened.
 */
public class NsqConnectionException extends NsqException {

	private static final long serialVersionUID = 1L;

	public NsqConnectionException(String message) {
		super(message);
	}

	public NsqConnectionException(String message, Throwable cause) {
		super(message, cause);
	}

}
