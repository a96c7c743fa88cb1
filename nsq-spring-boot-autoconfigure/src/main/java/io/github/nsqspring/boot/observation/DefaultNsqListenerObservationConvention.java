package io.github.nsqspring.boot.observation;

import io.github.nsqspring.boot.observation.NsqListenerObservation.ListenerHighCardinalityTags;
import io.github.nsqspring.boot.observation.NsqListenerObservation.ListenerLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NsqListenerObservationConvention}: {@code messaging.system=nsq},
 * {@code messaging.operation=process}, {@code messaging.destination.name=<topic>},
 * {@code messaging.consumer.group.name=<channel>} and {@code nsq.listener.id=<id>}, plus
 * the high-cardinality {@code messaging.message.id},
 * {@code messaging.nsq.message.attempts} and {@code server.address} (the nsqd);
 * contextual name {@code "process <topic>"}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqListenerObservationConvention implements NsqListenerObservationConvention {

	/** A shared instance. */
	public static final DefaultNsqListenerObservationConvention INSTANCE = new DefaultNsqListenerObservationConvention();

	@Override
	public KeyValues getLowCardinalityKeyValues(NsqMessageReceiverContext context) {
		return KeyValues.of(ListenerLowCardinalityTags.MESSAGING_SYSTEM.withValue("nsq"),
				ListenerLowCardinalityTags.MESSAGING_OPERATION.withValue("process"),
				ListenerLowCardinalityTags.MESSAGING_DESTINATION_NAME.withValue(context.getTopic()),
				ListenerLowCardinalityTags.MESSAGING_CONSUMER_GROUP_NAME.withValue(context.getChannel()),
				ListenerLowCardinalityTags.LISTENER_ID.withValue(context.getListenerId()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NsqMessageReceiverContext context) {
		return KeyValues.of(ListenerHighCardinalityTags.MESSAGING_MESSAGE_ID.withValue(context.getMessage().idText()),
				ListenerHighCardinalityTags.MESSAGE_ATTEMPTS.withValue(String.valueOf(context.getMessage().attempts())),
				ListenerHighCardinalityTags.SERVER_ADDRESS.withValue(context.getMessage().nsqdAddress()));
	}

	@Override
	public String getContextualName(NsqMessageReceiverContext context) {
		return "process " + context.getTopic();
	}

}
