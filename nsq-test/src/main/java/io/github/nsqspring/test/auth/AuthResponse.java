package io.github.nsqspring.test.auth;

import java.util.List;
import java.util.Objects;

/**
 * An auth server's answer.
 *
 * @param identity the client's identity (shown in stats and the AUTH answer)
 * @param identityUrl a URL about the identity, may be ""
 * @param ttlSeconds how long nsqd may cache the answer; must be &gt; 0, otherwise nsqd
 * treats the answer as invalid ({@code E_AUTH_FAILED})
 * @param authorizations what the client may do; empty means {@code E_UNAUTHORIZED}
 */
public record AuthResponse(String identity, String identityUrl, long ttlSeconds, List<Authorization> authorizations) {

	/**
	 * Create an answer.
	 * @param identity the identity
	 * @param identityUrl the identity URL
	 * @param ttlSeconds cache time in seconds
	 * @param authorizations the authorizations
	 */
	public AuthResponse {
		identity = Objects.requireNonNullElse(identity, "");
		identityUrl = Objects.requireNonNullElse(identityUrl, "");
		authorizations = List.copyOf(authorizations);
	}

	/**
	 * One grant: a topic pattern, channel patterns and permissions. Patterns are regular
	 * expressions matched anywhere in the name (like Go's {@code MatchString}), so anchor
	 * them with {@code ^...$} for exact names.
	 *
	 * @param topic topic pattern
	 * @param channels channel patterns; for publishing one of them must match the empty
	 * string (nsqd's rule), e.g. {@code ".*"}
	 * @param permissions {@code "subscribe"} and/or {@code "publish"}
	 */
	public record Authorization(String topic, List<String> channels, List<String> permissions) {

		/**
		 * Create a grant.
		 * @param topic topic pattern
		 * @param channels channel patterns
		 * @param permissions permissions
		 */
		public Authorization {
			Objects.requireNonNull(topic, "topic");
			channels = List.copyOf(channels);
			permissions = List.copyOf(permissions);
			for (String permission : permissions) {
				if (!permission.equals("subscribe") && !permission.equals("publish")) {
					throw new IllegalArgumentException("unknown permission " + permission);
				}
			}
		}

	}

}
