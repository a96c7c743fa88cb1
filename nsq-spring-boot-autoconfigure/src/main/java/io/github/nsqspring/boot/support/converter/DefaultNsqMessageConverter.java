package io.github.nsqspring.boot.support.converter;

import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.nsqspring.boot.support.NsqHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.core.log.LogAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * The payload conversion of NsqTemplate and {@code @NsqListener} methods, keeping NSQ
 * bodies plain so producers and consumers in any language interoperate:
 * <ul>
 * <li>{@code byte[]} as is;</li>
 * <li>{@code String} as UTF-8;</li>
 * <li>any other type as JSON, through the given Jackson 3 converter (Spring Boot's
 * {@code JsonMapper} when auto-configured, a default {@code JsonMapper} with
 * {@link #create()}).</li>
 * </ul>
 * Without JSON support, converting another type fails with a
 * {@link MessageConversionException} that says how to add it.
 * <h2>Type hints</h2> A payload converted to JSON gets a {@link NsqHeaders#TYPE} header
 * holding its class name; the template writes it into the envelope when the envelope is
 * on ({@code nsq.envelope.enabled}). A listener whose parameter type is an interface, an
 * abstract class or {@code Object} then receives an instance of that class. Trust rule:
 * the hint is used only when
 * <ul>
 * <li>the parameter type is an interface, an abstract class or {@code Object} (a concrete
 * parameter type always wins);</li>
 * <li>the named class is a concrete class, found by the application's class loader
 * without initializing it, and assignable to the parameter type;</li>
 * <li>for parameter types of the JDK ({@code java.*}, {@code javax.*}, such as
 * {@code Object} or {@code Serializable}), which almost any class is assignable to, the
 * class is also in one of the {@linkplain #setTrustedPackages(String...) trusted
 * packages} (none by default).</li>
 * </ul>
 * Otherwise the hint is ignored (logged at debug level) and the body is converted to the
 * parameter type as if there were no hint. So a message can never make the application
 * instantiate a class that its listener method does not accept.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqMessageConverter extends CompositeMessageConverter
		implements NsqMessageConverter, BeanClassLoaderAware {

	private static final LogAccessor logger = new LogAccessor(DefaultNsqMessageConverter.class);

	private static final String JACKSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	private final boolean json;

	private final Set<String> trustedPackages = new LinkedHashSet<>();

	private @Nullable ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

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

	/**
	 * Packages whose classes a type hint may name for a JDK parameter type such as
	 * {@code Object} (see the class documentation). A package also covers its
	 * sub-packages; {@code "*"} trusts every class. None by default.
	 * @param packages package names, for example {@code "com.example.events"}
	 */
	public void setTrustedPackages(String... packages) {
		Assert.noNullElements(packages, "'packages' must not contain null elements");
		this.trustedPackages.clear();
		this.trustedPackages.addAll(List.of(packages));
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		if ((targetClass == String.class || targetClass == byte[].class) && message.getPayload() instanceof byte[] bytes
				&& message.getHeaders().get(MessageHeaders.CONTENT_TYPE) == null) {
			// what the byte[] and String converters do without a content type, without
			// their per-message MIME type checks (issue 15)
			return (targetClass == String.class) ? new String(bytes, StandardCharsets.UTF_8) : bytes;
		}
		Class<?> hinted = hintedType(message, targetClass);
		// the hint of a method parameter would make Jackson read the declared type again
		Object result = (hinted != null) ? super.fromMessage(message, hinted, null)
				: super.fromMessage(message, targetClass, conversionHint);
		if (result == null && !this.json) {
			throw noJson(targetClass);
		}
		return result;
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return toMessage(payload, headers, null);
	}

	@Override
	public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		Message<?> result = super.toMessage(payload, headers, conversionHint);
		if (result == null) {
			if (!this.json) {
				throw noJson(payload.getClass());
			}
			return null;
		}
		if (payload instanceof byte[] || payload instanceof String) {
			return result;
		}
		return MessageBuilder.fromMessage(result)
			.setHeader(NsqHeaders.TYPE, ClassUtils.getUserClass(payload).getName())
			.build();
	}

	private @Nullable Class<?> hintedType(Message<?> message, Class<?> targetClass) {
		if (!(message.getHeaders().get(NsqHeaders.TYPE) instanceof String name) || name.isEmpty()
				|| !isOpen(targetClass)) {
			return null;
		}
		Class<?> type;
		try {
			type = ClassUtils.forName(name, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			logger.debug(() -> "Ignoring type hint " + name + ": no such class");
			return null;
		}
		if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !targetClass.isAssignableFrom(type)) {
			logger.debug(() -> "Ignoring type hint " + name + ": not a concrete class assignable to "
					+ targetClass.getName());
			return null;
		}
		if (isJdkType(targetClass) && !isTrusted(type)) {
			logger.debug(() -> "Ignoring type hint " + name + " for parameter type " + targetClass.getName()
					+ ": its package is not trusted (DefaultNsqMessageConverter.setTrustedPackages)");
			return null;
		}
		return type;
	}

	private static boolean isOpen(Class<?> type) {
		return type == Object.class || (!type.isArray() && !type.isPrimitive()
				&& (type.isInterface() || Modifier.isAbstract(type.getModifiers())));
	}

	private static boolean isJdkType(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.");
	}

	private boolean isTrusted(Class<?> type) {
		if (this.trustedPackages.contains("*")) {
			return true;
		}
		String name = type.getName();
		for (String trusted : this.trustedPackages) {
			if (name.startsWith(trusted + ".")) {
				return true;
			}
		}
		return false;
	}

	private static MessageConversionException noJson(Class<?> type) {
		return new MessageConversionException("Cannot convert " + type.getName()
				+ ": only byte[] and String are supported without JSON support. Add tools.jackson.core:jackson-databind "
				+ "to the class path or define an NsqMessageConverter bean");
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
