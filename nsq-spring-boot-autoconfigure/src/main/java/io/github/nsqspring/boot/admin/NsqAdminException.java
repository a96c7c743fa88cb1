package io.github.nsqspring.boot.admin;

import java.util.List;

import io.github.nsqspring.core.NsqException;

/**
 * An {@link NsqAdmin} operation failed on at least one nsqd (or nsqlookupd could not list
 * the nsqd). The message names each failure: the node, what was asked and why it failed
 * (unreachable, timed out, or nsqd's answer such as {@code 404 TOPIC_NOT_FOUND}). Nodes
 * that did not fail were changed: operations are not undone.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqAdminException extends NsqException {

	private static final long serialVersionUID = 1L;

	private final List<String> failures;

	/**
	 * Create an instance.
	 * @param message what failed, in general
	 * @param failures one line per failure ({@code node: action: reason})
	 * @param cause the first failure's cause, if any
	 */
	public NsqAdminException(String message, List<String> failures, Throwable cause) {
		super(message + ": " + String.join("; ", failures), cause);
		this.failures = List.copyOf(failures);
	}

	/**
	 * Create an instance with no underlying exception.
	 * @param message what failed, in general
	 * @param failures one line per failure
	 */
	public NsqAdminException(String message, List<String> failures) {
		super(message + ": " + String.join("; ", failures));
		this.failures = List.copyOf(failures);
	}

	/**
	 * The failures, one line each: {@code node: action: reason}.
	 * @return the failures
	 */
	public List<String> getFailures() {
		return this.failures;
	}

}
