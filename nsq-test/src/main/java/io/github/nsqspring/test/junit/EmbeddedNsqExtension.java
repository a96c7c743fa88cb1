package io.github.nsqspring.test.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.spring.SpecFactory;

/**
 * The JUnit 5 extension behind {@link EmbeddedNsq}: starts the cluster before all tests
 * (or before each), stops it afterwards through the extension store, and injects it into
 * fields and parameters typed {@link io.github.nsqspring.test.NsqCluster} or
 * {@link EmbeddedNsqCluster}. On Spring test classes it hands over to the Spring test
 * context (see {@link EmbeddedNsq}).
 */
public class EmbeddedNsqExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(EmbeddedNsqExtension.class);

	private static final String CLUSTER = "cluster";

	@Override
	public void beforeAll(ExtensionContext context) {
		EmbeddedNsq annotation = annotation(context);
		if (annotation.lifecycle() == EmbeddedNsq.Lifecycle.PER_CLASS && !SpringSupport.isSpringTest(context)) {
			context.getStore(NAMESPACE).put(CLUSTER, new ClusterResource(start(annotation)));
		}
		injectFields(context, null, true);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		EmbeddedNsq annotation = annotation(context);
		if (annotation.lifecycle() == EmbeddedNsq.Lifecycle.PER_TEST && !SpringSupport.isSpringTest(context)) {
			context.getStore(NAMESPACE).put(CLUSTER, new ClusterResource(start(annotation)));
		}
		for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
			injectFields(context, instance, false);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// the store closes the cluster; nothing else to release
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return isClusterType(type);
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return cluster(extensionContext);
	}

	/**
	 * The cluster of the current test.
	 * @param context the extension context
	 * @return the cluster
	 * @throws ExtensionConfigurationException when none is running
	 */
	public static EmbeddedNsqCluster cluster(ExtensionContext context) {
		if (SpringSupport.isSpringTest(context)) {
			return SpringSupport.cluster(context);
		}
		for (Optional<ExtensionContext> current = Optional.of(context); current
			.isPresent(); current = current.get().getParent()) {
			ClusterResource resource = current.get().getStore(NAMESPACE).get(CLUSTER, ClusterResource.class);
			if (resource != null) {
				return resource.cluster;
			}
		}
		throw new ExtensionConfigurationException("no embedded NSQ cluster is running for " + context.getDisplayName());
	}

	static EmbeddedNsqCluster start(EmbeddedNsq annotation) {
		return EmbeddedNsqCluster.start(SpecFactory.spec(annotation));
	}

	private static EmbeddedNsq annotation(ExtensionContext context) {
		Class<?> type = context.getRequiredTestClass();
		for (Class<?> current = type; current != null; current = current.getEnclosingClass()) {
			Optional<EmbeddedNsq> found = AnnotationSupport.findAnnotation(current, EmbeddedNsq.class);
			if (found.isPresent()) {
				return found.get();
			}
		}
		throw new ExtensionConfigurationException(type.getName() + " is not annotated with @EmbeddedNsq");
	}

	private static boolean isClusterType(Class<?> type) {
		return type == EmbeddedNsqCluster.class || type == io.github.nsqspring.test.NsqCluster.class;
	}

	private static void injectFields(ExtensionContext context, Object instance, boolean staticOnly) {
		Class<?> type = (instance != null) ? instance.getClass() : context.getRequiredTestClass();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				boolean isStatic = Modifier.isStatic(field.getModifiers());
				if (!isClusterType(field.getType()) || isStatic != staticOnly
						|| Modifier.isFinal(field.getModifiers())) {
					continue;
				}
				try {
					field.setAccessible(true);
					field.set(instance, cluster(context));
				}
				catch (IllegalAccessException | RuntimeException ex) {
					if (ex instanceof ExtensionConfigurationException && staticOnly) {
						// per-test lifecycle: static fields are set before each test
						// instead
						continue;
					}
					throw new ExtensionConfigurationException("cannot inject the NSQ cluster into " + field, ex);
				}
			}
		}
	}

	/** Closes the cluster when the store that holds it is closed. */
	private static final class ClusterResource implements ExtensionContext.Store.CloseableResource {

		final EmbeddedNsqCluster cluster;

		ClusterResource(EmbeddedNsqCluster cluster) {
			this.cluster = cluster;
		}

		@Override
		public void close() {
			this.cluster.close();
		}

	}

}
