package io.github.nsqspring.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of listener deliveries, recorded when
 * {@code nsq.listener.observation-enabled=true} (default false). One observation per
 * message given to the listener, including the error handling of a failure; it carries
 * the error when the listener failed. The trace context comes from the message envelope
 * when there is one, so the listener continues the sender's trace. Tag keys follow the
 * OpenTelemetry messaging conventions where they fit, and every key is always present.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public enum NsqListenerObservation implements ObservationDocumentation {

	/**
	 * A delivery to a listener: observation {@code nsq.listener}, contextual name
	 * {@code "process <topic>"}.
	 */
	LISTENER_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultNsqListenerObservationConvention.class;
		}

		@Override
		public String getPrefix() {
			return "nsq.listener";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ListenerLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return ListenerHighCardinalityTags.values();
		}

	};

	/**
	 * Low-cardinality tags of the listener observation.
	 */
	public enum ListenerLowCardinalityTags implements KeyName {

		/** Always {@code nsq}. */
		MESSAGING_SYSTEM {

			@Override
			public String asString() {
				return "messaging.system";
			}

		},

		/** Always {@code process}. */
		MESSAGING_OPERATION {

			@Override
			public String asString() {
				return "messaging.operation";
			}

		},

		/** The topic consumed. */
		MESSAGING_DESTINATION_NAME {

			@Override
			public String asString() {
				return "messaging.destination.name";
			}

		},

		/** The channel consumed: NSQ's consumer group. */
		MESSAGING_CONSUMER_GROUP_NAME {

			@Override
			public String asString() {
				return "messaging.consumer.group.name";
			}

		},

		/** The listener (container) id. */
		LISTENER_ID {

			@Override
			public String asString() {
				return "nsq.listener.id";
			}

		}

	}

	/**
	 * High-cardinality tags of the listener observation.
	 */
	public enum ListenerHighCardinalityTags implements KeyName {

		/** The NSQ message id (16 hex characters). */
		MESSAGING_MESSAGE_ID {

			@Override
			public String asString() {
				return "messaging.message.id";
			}

		},

		/** The delivery attempt, 1 on first delivery. */
		MESSAGE_ATTEMPTS {

			@Override
			public String asString() {
				return "messaging.nsq.message.attempts";
			}

		},

		/** The nsqd ({@code host:port}) that delivered the message. */
		SERVER_ADDRESS {

			@Override
			public String asString() {
				return "server.address";
			}

		}

	}

}
