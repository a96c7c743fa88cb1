package io.github.nsqspring.boot.annotation;

import io.github.nsqspring.boot.config.NsqAnnotationSupportBeanNames;
import io.github.nsqspring.boot.config.NsqListenerEndpointRegistry;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the {@link NsqListenerAnnotationBeanPostProcessor} and the
 * {@link NsqListenerEndpointRegistry} under their {@link NsqAnnotationSupportBeanNames
 * well-known names}, unless already present.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqBootstrapConfiguration implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		if (!registry
			.containsBeanDefinition(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)) {
			RootBeanDefinition definition = new RootBeanDefinition(NsqListenerAnnotationBeanPostProcessor.class);
			definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME,
					definition);
		}
		if (!registry.containsBeanDefinition(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME)) {
			RootBeanDefinition definition = new RootBeanDefinition(NsqListenerEndpointRegistry.class);
			definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(NsqAnnotationSupportBeanNames.NSQ_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
					definition);
		}
	}

}
