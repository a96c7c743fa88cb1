package io.github.nsqspring.boot.support.converter;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;

/**
 * The payload conversion of NsqTemplate and {@code @NsqListener} methods, keeping NSQ
 * bodies plain so producers and consumers in any language interoperate:
 * <ul>
 * <li>{@code byte[]} as is;</li>
 * <li>{@code String} as UTF-8;</li>
 * <li>any other type as JSON, through the given Jackson 3 converter (Spring Boot's
 * {@code JsonMapper} when auto-configured).</li>
 * </ul>
 * Without JSON support, converting another type fails with a
 * {@link MessageConversionException} that says how to add it.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqMessageConverter extends CompositeMessageConverter {

	private static final String JACKSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	private final boolean json;

	/**
	 * A converter for {@code byte[]} and {@code String} only.
	 */
	public DefaultNsqMessageConverter() {
		this(null);
	}

	/**
	 * A converter for {@code byte[]}, {@code String} and, through the given converter,
	 * JSON.
	 * @param jsonConverter converts other types (for example a
	 * {@code JacksonJsonMessageConverter}), or {@code null} for none
	 */
	public DefaultNsqMessageConverter(@Nullable MessageConverter jsonConverter) {
		super(converters(jsonConverter));
		this.json = (jsonConverter != null);
	}

	/**
	 * A converter with JSON support when Jackson 3 is on the class path (with a default
	 * {@code JsonMapper}), else for {@code byte[]} and {@code String} only. Spring Boot
	 * applications get one built on Boot's {@code JsonMapper} instead.
	 * @return the converter
	 */
	public static DefaultNsqMessageConverter create() {
		if (ClassUtils.isPresent(JACKSON_MAPPER, DefaultNsqMessageConverter.class.getClassLoader())) {
			return new DefaultNsqMessageConverter(JacksonSupport.jsonConverter());
		}
		return new DefaultNsqMessageConverter();
	}

	private static List<MessageConverter> converters(@Nullable MessageConverter jsonConverter) {
		List<MessageConverter> converters = new ArrayList<>();
		converters.add(new ByteArrayMessageConverter());
		converters.add(new StringMessageConverter());
		if (jsonConverter != null) {
			converters.add(jsonConverter);
		}
		return converters;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		Object result = super.fromMessage(message, targetClass);
		if (result == null && !this.json) {
			throw noJson(targetClass);
		}
		return result;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		Object result = super.fromMessage(message, targetClass, conversionHint);
		if (result == null && !this.json) {
			throw noJson(targetClass);
		}
		return result;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		Message<?> result = super.toMessage(payload, headers);
		if (result == null && !this.json) {
			throw noJson(payload.getClass());
		}
		return result;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		Message<?> result = super.toMessage(payload, headers, conversionHint);
		if (result == null && !this.json) {
			throw noJson(payload.getClass());
		}
		return result;
	}

	private static MessageConversionException noJson(Class<?> type) {
		return new MessageConversionException("Cannot convert " + type.getName()
				+ ": only byte[] and String are supported without JSON support. Add tools.jackson.core:jackson-databind "
				+ "to the class path or define a MessageConverter bean");
	}

	/**
	 * Keeps Jackson types out of the outer class, so it loads without Jackson.
	 */
	private static final class JacksonSupport {

		static MessageConverter jsonConverter() {
			return new JacksonJsonMessageConverter();
		}

	}

}
