package io.github.nsqspring.test.spring;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;

/**
 * Starts an {@link EmbeddedNsqCluster} for a Spring test context, registers it as the
 * bean {@value #BEAN_NAME} (stopped when the context closes) and puts its addresses first
 * in the Environment: {@code nsq.nsqd.addresses}, {@code nsq.nsqd.http-addresses} and,
 * with a lookupd, {@code nsq.lookupd.addresses}. Contexts whose {@link EmbeddedNsq}
 * attributes are equal share one cached context and therefore one cluster.
 */
public class EmbeddedNsqContextCustomizer implements ContextCustomizer {

	/** Name of the cluster bean. */
	public static final String BEAN_NAME = "embeddedNsqCluster";

	/** Name of the property source holding the addresses. */
	public static final String PROPERTY_SOURCE_NAME = "embeddedNsq";

	private final EmbeddedNsq annotation;

	EmbeddedNsqContextCustomizer(EmbeddedNsq annotation) {
		this.annotation = annotation;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		EmbeddedNsqCluster cluster = EmbeddedNsqCluster.start(SpecFactory.spec(this.annotation));
		Map<String, Object> properties = new LinkedHashMap<>(cluster.springProperties());
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		beanFactory.registerSingleton(BEAN_NAME, cluster);
		if (beanFactory instanceof DefaultListableBeanFactory registry) {
			registry.registerDisposableBean(BEAN_NAME, cluster::close);
		}
		else {
			context.addApplicationListener((event) -> {
				if (event instanceof org.springframework.context.event.ContextClosedEvent) {
					cluster.close();
				}
			});
		}
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof EmbeddedNsqContextCustomizer that) && this.annotation.equals(that.annotation);
	}

	@Override
	public int hashCode() {
		return this.annotation.hashCode();
	}

}
