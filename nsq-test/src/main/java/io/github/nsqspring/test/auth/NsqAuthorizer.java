package io.github.nsqspring.test.auth;

/**
 * Answers nsqd's AUTH requests, in the role of the HTTP auth server that a real nsqd
 * queries ({@code --auth-http-address}). The embedded nsqd calls it directly; for real
 * nsqd processes {@link EmbeddedAuthServer} serves it over HTTP, so one authorizer drives
 * the same scenario against both.
 */
@FunctionalInterface
public interface NsqAuthorizer {

	/**
	 * Decide what a client presenting a secret may do.
	 * @param request the client's secret and connection facts
	 * @return the identity and authorizations; {@code null} (or an exception) means the
	 * auth server failed, which nsqd reports as {@code E_AUTH_FAILED}; an answer with no
	 * authorizations is reported as {@code E_UNAUTHORIZED}
	 */
	AuthResponse authorize(AuthRequest request);

}
