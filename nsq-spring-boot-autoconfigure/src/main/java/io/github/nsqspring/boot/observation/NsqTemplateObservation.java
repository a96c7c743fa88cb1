package io.github.nsqspring.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of {@code NsqTemplate} sends, recorded when
 * {@code nsq.template.observation-enabled=true} (default false). One observation per send
 * call, a batch (MPUB) included; it stops when nsqd acknowledged or the publish failed
 * (then with the error). Tag keys follow the OpenTelemetry messaging conventions where
 * they fit, and every key is always present.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public enum NsqTemplateObservation implements ObservationDocumentation {

	/**
	 * A publish through {@code NsqTemplate}: observation {@code nsq.template}, contextual
	 * name {@code "publish <topic>"}.
	 */
	TEMPLATE_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultNsqTemplateObservationConvention.class;
		}

		@Override
		public String getPrefix() {
			return "nsq.template";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TemplateLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return TemplateHighCardinalityTags.values();
		}

	};

	/**
	 * Low-cardinality tags of the send observation.
	 */
	public enum TemplateLowCardinalityTags implements KeyName {

		/** Always {@code nsq}. */
		MESSAGING_SYSTEM {

			@Override
			public String asString() {
				return "messaging.system";
			}

		},

		/** Always {@code publish}. */
		MESSAGING_OPERATION {

			@Override
			public String asString() {
				return "messaging.operation";
			}

		},

		/** The topic. */
		MESSAGING_DESTINATION_NAME {

			@Override
			public String asString() {
				return "messaging.destination.name";
			}

		},

		/** The bean name of the template. */
		TEMPLATE_NAME {

			@Override
			public String asString() {
				return "nsq.template.name";
			}

		}

	}

	/**
	 * High-cardinality tags of the send observation.
	 */
	public enum TemplateHighCardinalityTags implements KeyName {

		/** Messages in the send: 1, or the batch size of an MPUB. */
		MESSAGING_BATCH_MESSAGE_COUNT {

			@Override
			public String asString() {
				return "messaging.batch.message_count";
			}

		}

	}

}
