package io.github.nsqspring.core.json;

import io.github.nsqspring.core.NsqException;

/**
 * Text that should be JSON is not. The message says what was expected and at which
 * offset.
 */
public class JsonParseException extends NsqException {

	private static final long serialVersionUID = 1L;

	/** Offset in the input where parsing failed. */
	private final int offset;

	/**
	 * Create an exception.
	 * @param message what was expected
	 * @param offset the character offset where parsing failed
	 */
	public JsonParseException(String message, int offset) {
		super(message + " at offset " + offset);
		this.offset = offset;
	}

	/**
	 * Offset in the input where parsing failed.
	 * @return the character offset
	 */
	public int offset() {
		return this.offset;
	}

}
