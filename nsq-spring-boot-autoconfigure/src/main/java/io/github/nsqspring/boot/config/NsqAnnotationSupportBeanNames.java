package io.github.nsqspring.boot.config;

/**
 * Well-known names of the beans behind {@code @NsqListener} support.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public abstract class NsqAnnotationSupportBeanNames {

	/** The annotation bean post-processor. */
	public static final String NSQ_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME = "io.github.nsqspring.boot.config.internalNsqListenerAnnotationProcessor";

	/** The endpoint registry. */
	public static final String NSQ_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME = "io.github.nsqspring.boot.config.internalNsqListenerEndpointRegistry";

	/** The container factory used when a listener names none. */
	public static final String DEFAULT_NSQ_LISTENER_CONTAINER_FACTORY_BEAN_NAME = "nsqListenerContainerFactory";

	private NsqAnnotationSupportBeanNames() {
	}

}
