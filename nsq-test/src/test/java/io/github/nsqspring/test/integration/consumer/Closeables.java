package io.github.nsqspring.test.integration.consumer;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test started (clusters, consumers, executors), closed after it in list order: a
 * consumer goes {@linkplain #addFirst first}, so that it stops before the nsqd it talks
 * to.
 */
final class Closeables implements AfterEachCallback {

	private final List<AutoCloseable> items = new ArrayList<>();

	void add(AutoCloseable item) {
		this.items.add(item);
	}

	void addFirst(AutoCloseable item) {
		this.items.add(0, item);
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		for (AutoCloseable item : this.items) {
			item.close();
		}
	}

}
