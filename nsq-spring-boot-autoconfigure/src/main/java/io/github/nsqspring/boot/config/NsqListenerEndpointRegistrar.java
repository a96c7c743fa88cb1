package io.github.nsqspring.boot.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.util.Assert;
import org.springframework.validation.Validator;

/**
 * Collects listener endpoints until the application's beans exist, then hands each to the
 * {@link NsqListenerEndpointRegistry} with its container factory: the one given with the
 * endpoint, else {@link #setContainerFactory the registrar's}, else the bean named
 * {@link #setContainerFactoryBeanName by default} {@code nsqListenerContainerFactory}.
 * Endpoints registered after that are created, and started, at once.
 * <p>
 * {@link io.github.nsqspring.boot.annotation.NsqListenerConfigurer} beans get this
 * registrar to add endpoints in code and to set the argument resolution strategies
 * (handler method factory, validator, message converter).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqListenerEndpointRegistrar implements BeanFactoryAware, InitializingBean {

	private final List<EndpointDescriptor> endpointDescriptors = new ArrayList<>();

	private final ReentrantLock endpointDescriptorsLock = new ReentrantLock();

	private @Nullable NsqListenerEndpointRegistry endpointRegistry;

	private @Nullable NsqListenerContainerFactory<?> containerFactory;

	private String containerFactoryBeanName = NsqAnnotationSupportBeanNames.DEFAULT_NSQ_LISTENER_CONTAINER_FACTORY_BEAN_NAME;

	private @Nullable BeanFactory beanFactory;

	private @Nullable MessageHandlerMethodFactory messageHandlerMethodFactory;

	private @Nullable Validator validator;

	private @Nullable MessageConverter messageConverter;

	private boolean startImmediately;

	public void setEndpointRegistry(NsqListenerEndpointRegistry endpointRegistry) {
		this.endpointRegistry = endpointRegistry;
	}

	public @Nullable NsqListenerEndpointRegistry getEndpointRegistry() {
		return this.endpointRegistry;
	}

	/**
	 * The container factory of endpoints that name none.
	 * @param containerFactory the factory
	 */
	public void setContainerFactory(NsqListenerContainerFactory<?> containerFactory) {
		this.containerFactory = containerFactory;
	}

	/**
	 * Name of the container factory bean used when neither the endpoint nor this
	 * registrar gives one (default {@code nsqListenerContainerFactory}).
	 * @param containerFactoryBeanName the bean name
	 */
	public void setContainerFactoryBeanName(String containerFactoryBeanName) {
		this.containerFactoryBeanName = containerFactoryBeanName;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * A custom factory resolving listener method arguments; replaces the default one
	 * (with the converter, the validator and NSQ's argument resolvers).
	 * @param messageHandlerMethodFactory the factory
	 */
	public void setMessageHandlerMethodFactory(MessageHandlerMethodFactory messageHandlerMethodFactory) {
		this.messageHandlerMethodFactory = messageHandlerMethodFactory;
	}

	public @Nullable MessageHandlerMethodFactory getMessageHandlerMethodFactory() {
		return this.messageHandlerMethodFactory;
	}

	/**
	 * The validator of {@code @Valid} payloads (default: the application's unique
	 * {@link Validator} bean, if any).
	 * @param validator the validator
	 */
	public void setValidator(Validator validator) {
		this.validator = validator;
	}

	public @Nullable Validator getValidator() {
		return this.validator;
	}

	/**
	 * The payload converter of listener methods (default: the application's unique
	 * {@link MessageConverter} bean, else byte[]/String/JSON).
	 * @param messageConverter the converter
	 */
	public void setMessageConverter(MessageConverter messageConverter) {
		this.messageConverter = messageConverter;
	}

	public @Nullable MessageConverter getMessageConverter() {
		return this.messageConverter;
	}

	/**
	 * Register an endpoint with the default container factory.
	 * @param endpoint the endpoint
	 */
	public void registerEndpoint(NsqListenerEndpoint endpoint) {
		registerEndpoint(endpoint, null);
	}

	/**
	 * Register an endpoint.
	 * @param endpoint the endpoint, with an id
	 * @param factory its container factory, or {@code null} for the default
	 */
	public void registerEndpoint(NsqListenerEndpoint endpoint, @Nullable NsqListenerContainerFactory<?> factory) {
		Assert.notNull(endpoint, "'endpoint' must not be null");
		Assert.hasText(endpoint.getId(), "Endpoint id must be set");
		EndpointDescriptor descriptor = new EndpointDescriptor(endpoint, factory);
		this.endpointDescriptorsLock.lock();
		try {
			if (this.startImmediately) {
				Assert.state(this.endpointRegistry != null, "No endpoint registry set");
				this.endpointRegistry.registerListenerContainer(endpoint, resolveContainerFactory(descriptor),
						this.endpointRegistry.isContextRefreshed());
			}
			else {
				this.endpointDescriptors.add(descriptor);
			}
		}
		finally {
			this.endpointDescriptorsLock.unlock();
		}
	}

	@Override
	public void afterPropertiesSet() {
		registerAllEndpoints();
	}

	/**
	 * Create the containers of every endpoint collected so far.
	 */
	protected void registerAllEndpoints() {
		Assert.state(this.endpointRegistry != null, "No endpoint registry set");
		this.endpointDescriptorsLock.lock();
		try {
			for (EndpointDescriptor descriptor : this.endpointDescriptors) {
				this.endpointRegistry.registerListenerContainer(descriptor.endpoint(),
						resolveContainerFactory(descriptor), false);
			}
			this.endpointDescriptors.clear();
			this.startImmediately = true;
		}
		finally {
			this.endpointDescriptorsLock.unlock();
		}
	}

	private NsqListenerContainerFactory<?> resolveContainerFactory(EndpointDescriptor descriptor) {
		if (descriptor.factory() != null) {
			return descriptor.factory();
		}
		if (this.containerFactory != null) {
			return this.containerFactory;
		}
		Assert.state(this.beanFactory != null, "No bean factory to look up the container factory in");
		if (!this.beanFactory.containsBean(this.containerFactoryBeanName)) {
			throw new IllegalStateException("No NsqListenerContainerFactory for listener '"
					+ descriptor.endpoint().getId() + "': define a bean named '" + this.containerFactoryBeanName
					+ "' or set the listener's containerFactory");
		}
		this.containerFactory = this.beanFactory.getBean(this.containerFactoryBeanName,
				NsqListenerContainerFactory.class);
		return this.containerFactory;
	}

	private record EndpointDescriptor(NsqListenerEndpoint endpoint, @Nullable NsqListenerContainerFactory<?> factory) {

	}

}
