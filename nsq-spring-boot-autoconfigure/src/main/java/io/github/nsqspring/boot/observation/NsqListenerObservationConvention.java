package io.github.nsqspring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@link NsqListenerObservation}. Implement it (or extend
 * {@link DefaultNsqListenerObservationConvention}) and declare one bean of it to replace
 * the default, for example to add tags.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqListenerObservationConvention extends ObservationConvention<NsqMessageReceiverContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NsqMessageReceiverContext;
	}

	@Override
	default String getName() {
		return "nsq.listener";
	}

}
