package io.github.nsqspring.test.spring;

import java.time.Duration;

import io.github.nsqspring.test.NsqClusterSpec;
import io.github.nsqspring.test.NsqdOptions;
import io.github.nsqspring.test.junit.EmbeddedNsq;

/**
 * Turns {@link EmbeddedNsq} attributes into a cluster spec; shared by the JUnit extension
 * and the Spring customizer. Has no Spring dependency.
 */
public final class SpecFactory {

	private SpecFactory() {
	}

	/**
	 * The spec an annotation asks for.
	 * @param annotation the annotation
	 * @return the spec
	 */
	public static NsqClusterSpec spec(EmbeddedNsq annotation) {
		NsqdOptions options = NsqdOptions.builder()
			.msgTimeout(Duration.ofMillis(annotation.msgTimeoutMillis()))
			.maxRdyCount(annotation.maxRdyCount())
			.maxMsgSize(annotation.maxMsgSize())
			.tls(annotation.tls())
			.build();
		return new NsqClusterSpec(annotation.nodes(), annotation.lookupd(), options);
	}

}
