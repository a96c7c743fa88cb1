package io.github.nsqspring.core;

/**
 * A message cannot be published as given: its body is empty, or larger than nsqd's
 * {@code --max-msg-size} (or a batch larger than {@code --max-body-size}). Thrown before
 * anything is sent, so the connection other callers share is not affected. The message
 * names the size and the limit.
 */
public class NsqInvalidMessageException extends NsqException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqInvalidMessageException(String message) {
		super(message);
	}

}
