package io.github.nsqspring.benchmarks.support;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads, on a JVM that has them (Java 21+), reached reflectively: the harness
 * is compiled for and runs on Java 17 too.
 */
public final class VirtualThreads {

	private VirtualThreads() {
	}

	/**
	 * Whether this JVM has virtual threads.
	 * @return {@code true} on Java 21+
	 */
	public static boolean available() {
		try {
			Thread.class.getMethod("ofVirtual");
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/**
	 * Fail unless this JVM has virtual threads.
	 * @throws IllegalArgumentException naming the running Java version
	 */
	public static void requireAvailable() {
		if (!available()) {
			throw new IllegalArgumentException(
					"--virtual-threads needs a JVM with virtual threads (Java 21 or later); " + "this one is Java "
							+ System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
		}
	}

	/**
	 * A factory of virtual threads named {@code prefix-N}.
	 * @param prefix the name prefix
	 * @return the factory
	 * @throws IllegalStateException when this JVM has no virtual threads
	 */
	public static ThreadFactory factory(String prefix) {
		requireAvailableForUse();
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Method name = builderType.getMethod("name", String.class, long.class);
			builder = name.invoke(builder, prefix + "-", 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(
					"cannot create virtual threads on Java " + System.getProperty("java.version"), ex);
		}
	}

	private static void requireAvailableForUse() {
		if (!available()) {
			throw new IllegalStateException(
					"virtual threads need Java 21 or later; this is Java " + System.getProperty("java.version"));
		}
	}

}
