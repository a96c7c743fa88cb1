package io.github.nsqspring.core.protocol;

import io.github.nsqspring.core.NsqInvalidNameException;

/**
 * nsqd's rule for topic and channel names: 1 to 64 bytes matching
 * {@code ^[.a-zA-Z0-9_-]+(#ephemeral)?$} (the length includes the {@code #ephemeral}
 * suffix).
 */
public final class NsqNames {

	/** Longest valid name, in bytes (nsqd 0.2.28 and later). */
	public static final int MAX_LENGTH = 64;

	/**
	 * Suffix that makes a topic or channel ephemeral (memory only, deleted when unused).
	 */
	public static final String EPHEMERAL_SUFFIX = "#ephemeral";

	private NsqNames() {
	}

	/**
	 * Whether {@code name} is a valid topic or channel name.
	 * @param name the name, may be {@code null}
	 * @return {@code true} when nsqd would accept it
	 */
	public static boolean isValid(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
			return false;
		}
		int end = name.endsWith(EPHEMERAL_SUFFIX) ? name.length() - EPHEMERAL_SUFFIX.length() : name.length();
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			char c = name.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == '-';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the name ends in {@code #ephemeral}.
	 * @param name a valid name
	 * @return {@code true} for an ephemeral topic or channel name
	 */
	public static boolean isEphemeral(String name) {
		return name.endsWith(EPHEMERAL_SUFFIX);
	}

	/**
	 * Check a topic name.
	 * @param topic the name
	 * @return the name
	 * @throws NsqInvalidNameException naming the value and the rule when invalid
	 */
	public static String requireValidTopic(String topic) {
		return requireValid("topic", topic);
	}

	/**
	 * Check a channel name.
	 * @param channel the name
	 * @return the name
	 * @throws NsqInvalidNameException naming the value and the rule when invalid
	 */
	public static String requireValidChannel(String channel) {
		return requireValid("channel", channel);
	}

	private static String requireValid(String kind, String name) {
		if (!isValid(name)) {
			String shown = (name == null) ? "null" : "\"" + name + "\"";
			throw new NsqInvalidNameException("invalid " + kind + " name " + shown + ": must be 1-" + MAX_LENGTH
					+ " characters of [.a-zA-Z0-9_-], optionally ending in " + EPHEMERAL_SUFFIX);
		}
		return name;
	}

}
