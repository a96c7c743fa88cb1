package io.github.nsqspring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@link NsqTemplateObservation}. Implement it (or extend
 * {@link DefaultNsqTemplateObservationConvention}) and declare one bean of it to replace
 * the default, for example to add tags.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqTemplateObservationConvention extends ObservationConvention<NsqMessageSenderContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NsqMessageSenderContext;
	}

	@Override
	default String getName() {
		return "nsq.template";
	}

}
