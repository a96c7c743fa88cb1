package io.github.nsqspring.test.junit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import io.github.nsqspring.test.EmbeddedNsqCluster;

/**
 * Detects Spring test classes, whose cluster the Spring test context owns; only touches
 * spring-test classes when they are on the class path.
 */
final class SpringSupport {

	private static final String SPRING_EXTENSION = "org.springframework.test.context.junit.jupiter.SpringExtension";

	private SpringSupport() {
	}

	static boolean isSpringTest(ExtensionContext context) {
		for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
			for (ExtendWith extendWith : AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class)) {
				for (Class<?> extension : extendWith.value()) {
					if (extension.getName().equals(SPRING_EXTENSION)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	static EmbeddedNsqCluster cluster(ExtensionContext context) {
		return org.springframework.test.context.junit.jupiter.SpringExtension.getApplicationContext(context)
			.getBean(EmbeddedNsqCluster.class);
	}

}
