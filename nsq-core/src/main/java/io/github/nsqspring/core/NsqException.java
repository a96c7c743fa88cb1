package io.github.nsqspring.core;

/**
 * Root of every exception thrown by the NSQ client. All are unchecked; the subtype tells
 * a caller what to do:
 * <ul>
 * <li>{@link NsqProtocolException}: nsqd answered with an error frame (with its code, and
 * whether nsqd closes the connection after it);</li>
 * <li>{@link NsqConnectionException}: the connection failed or was lost (I/O, malformed
 * frames, closed connection);</li>
 * <li>{@link NsqTimeoutException}: an operation did not complete in time;</li>
 * <li>{@link NsqAuthException}: authentication is required, failed or was refused;</li>
 * <li>{@link NsqConfigException}: a configuration value is invalid;</li>
 * <li>{@link NsqInvalidNameException}: a topic or channel name breaks nsqd's naming
 * rule.</li>
 * </ul>
 * Messages never contain secrets (auth secret, key store passwords).
 */
public class NsqException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong, naming the bad value where there is one
	 */
	public NsqException(String message) {
		super(message);
	}

	/**
	 * Create an exception with its cause.
	 * @param message what went wrong, naming the bad value where there is one
	 * @param cause the underlying failure
	 */
	public NsqException(String message, Throwable cause) {
		super(message, cause);
	}

}
