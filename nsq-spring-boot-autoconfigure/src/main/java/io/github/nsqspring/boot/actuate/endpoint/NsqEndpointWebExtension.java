package io.github.nsqspring.boot.actuate.endpoint;

import io.github.nsqspring.boot.actuate.endpoint.NsqEndpoint.ListenerDescriptor;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.Assert;

/**
 * HTTP status codes for {@link NsqEndpoint}'s write operation: 404 when no listener
 * container has the id (a plain endpoint would answer 204 No Content, as if it had
 * worked), 400 for a state other than {@code paused} or {@code resumed}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = NsqEndpoint.class)
public class NsqEndpointWebExtension {

	private final NsqEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 */
	public NsqEndpointWebExtension(NsqEndpoint delegate) {
		Assert.notNull(delegate, "'delegate' must not be null");
		this.delegate = delegate;
	}

	/**
	 * Pause or resume one listener container
	 * ({@link NsqEndpoint#changeListenerState(String, String)}).
	 * @param id the listener id
	 * @param state {@code paused} or {@code resumed}
	 * @return the container's view after the change (200), or 404
	 */
	@WriteOperation
	public WebEndpointResponse<ListenerDescriptor> changeListenerState(@Selector String id, String state) {
		ListenerDescriptor descriptor = this.delegate.changeListenerState(id, state);
		return (descriptor != null) ? new WebEndpointResponse<>(descriptor)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
