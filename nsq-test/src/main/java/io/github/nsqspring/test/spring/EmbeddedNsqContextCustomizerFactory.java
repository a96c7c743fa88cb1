package io.github.nsqspring.test.spring;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import io.github.nsqspring.test.junit.EmbeddedNsq;

/**
 * Spring test hook (registered in {@code META-INF/spring.factories}): a test class
 * annotated with {@link EmbeddedNsq} gets an embedded NSQ cluster started with its
 * application context. See {@link EmbeddedNsqContextCustomizer}.
 */
public class EmbeddedNsqContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		EmbeddedNsq annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedNsq.class);
		return (annotation != null) ? new EmbeddedNsqContextCustomizer(annotation) : null;
	}

}
