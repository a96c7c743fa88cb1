package io.github.nsqspring.benchmarks;

/**
 * The spring-consume scenario, when the Spring layer is in the build.
 */
final class SpringConsumeSupport {

	private SpringConsumeSupport() {
	}

	static BenchmarkRunner.SpringConsume find() {
		return null;
	}

}
