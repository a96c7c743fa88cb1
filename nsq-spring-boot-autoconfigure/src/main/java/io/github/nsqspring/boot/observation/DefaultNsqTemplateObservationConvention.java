package io.github.nsqspring.boot.observation;

import io.github.nsqspring.boot.observation.NsqTemplateObservation.TemplateHighCardinalityTags;
import io.github.nsqspring.boot.observation.NsqTemplateObservation.TemplateLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NsqTemplateObservationConvention}: {@code messaging.system=nsq},
 * {@code messaging.operation=publish}, {@code messaging.destination.name=<topic>} and
 * {@code nsq.template.name=<bean name>}, plus the high-cardinality
 * {@code messaging.batch.message_count}; contextual name {@code "publish <topic>"}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqTemplateObservationConvention implements NsqTemplateObservationConvention {

	/** A shared instance. */
	public static final DefaultNsqTemplateObservationConvention INSTANCE = new DefaultNsqTemplateObservationConvention();

	@Override
	public KeyValues getLowCardinalityKeyValues(NsqMessageSenderContext context) {
		return KeyValues.of(TemplateLowCardinalityTags.MESSAGING_SYSTEM.withValue("nsq"),
				TemplateLowCardinalityTags.MESSAGING_OPERATION.withValue("publish"),
				TemplateLowCardinalityTags.MESSAGING_DESTINATION_NAME.withValue(context.getTopic()),
				TemplateLowCardinalityTags.TEMPLATE_NAME.withValue(context.getTemplateName()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NsqMessageSenderContext context) {
		return KeyValues.of(TemplateHighCardinalityTags.MESSAGING_BATCH_MESSAGE_COUNT
			.withValue(String.valueOf(context.getMessageCount())));
	}

	@Override
	public String getContextualName(NsqMessageSenderContext context) {
		return "publish " + context.getTopic();
	}

}
