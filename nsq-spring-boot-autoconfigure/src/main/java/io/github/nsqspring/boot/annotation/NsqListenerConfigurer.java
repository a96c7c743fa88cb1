package io.github.nsqspring.boot.annotation;

import io.github.nsqspring.boot.config.NsqListenerEndpointRegistrar;

/**
 * Implemented by beans that register listener endpoints in code or change how listener
 * methods are called (handler method factory, validator, payload converter, default
 * container factory). Called once, after every singleton exists.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
@FunctionalInterface
public interface NsqListenerConfigurer {

	/**
	 * Configure the registrar.
	 * @param registrar the registrar
	 */
	void configureNsqListeners(NsqListenerEndpointRegistrar registrar);

}
