package io.github.nsqspring.core.producer;

import io.github.nsqspring.core.NsqException;

/**
 * The producer was closed: the call was refused, or its answer was still owed when the
 * close timeout ran out (then the message may or may not have reached nsqd).
 */
public class ProducerClosedException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public ProducerClosedException(String message) {
		super(message);
	}

}
