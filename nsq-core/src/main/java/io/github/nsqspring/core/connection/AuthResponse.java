package io.github.nsqspring.core.connection;

import java.util.Map;

import io.github.nsqspring.core.json.Json;

/**
 * What nsqd answered to AUTH.
 *
 * @param identity the identity the auth server returned
 * @param identityUrl a URL describing the identity, may be empty
 * @param permissionCount the number of authorizations granted
 */
public record AuthResponse(String identity, String identityUrl, long permissionCount) {

	/**
	 * Read nsqd's JSON answer.
	 * @param json the answer
	 * @return the response
	 * @throws io.github.nsqspring.core.json.JsonParseException when it is not a JSON
	 * object
	 */
	public static AuthResponse parse(String json) {
		Map<String, Object> o = Json.parseObject(json);
		return new AuthResponse(Json.getString(o, "identity", ""), Json.getString(o, "identity_url", ""),
				Json.getLong(o, "permission_count", 0));
	}

}
