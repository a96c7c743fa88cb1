package io.github.nsqspring.boot.aot;

import io.github.nsqspring.boot.annotation.NsqListener;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for NSQ's Spring support, registered in
 * {@code META-INF/spring/aot.factories}. What is reflective, and where its hints come
 * from:
 * <ul>
 * <li>{@code @NsqListener} methods are called through Spring messaging's
 * {@code InvocableHandlerMethod}, and their payload parameters are bound by Jackson. The
 * annotation is meta-annotated with {@code @MessageMapping}, whose reflective processor
 * registers, for every bean class with such methods, the methods for invocation and
 * binding hints for their payload types (also inside {@code Message<T>}) and return
 * types. Nothing is needed here; a listener bean must be declared with its concrete type
 * (not {@code Object} or an interface) for its class to be seen ahead of time.</li>
 * <li>{@code @NsqListener} used as a meta-annotation, with attributes overridden through
 * {@code @AliasFor}, is synthesized as a JDK proxy: registered here.</li>
 * <li>Optional libraries detected by class name at run time: Jackson 3's
 * {@code JsonMapper} (JSON payloads without Spring Boot's converter bean) and snappy-java
 * (snappy compression in nsq-core): registered here when present.</li>
 * <li>Payloads sent through {@code NsqTemplate} are converted to JSON by Jackson, and
 * their types are only known to the application: declare them with
 * {@code @RegisterReflectionForBinding}.</li>
 * <li>The envelope ({@code NsqEnvelope}) is plain bytes and UTF-8 strings, and the
 * {@code nsq.*} properties are bound through Spring Boot's own hints for
 * {@code @ConfigurationProperties}: nothing is needed for either.</li>
 * </ul>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class NsqRuntimeHints implements RuntimeHintsRegistrar {

	static final String JACKSON_JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	static final String SNAPPY_FRAMED_OUTPUT_STREAM = "org.xerial.snappy.SnappyFramedOutputStream";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.proxies().registerJdkProxy(NsqListener.class);
		hints.reflection().registerTypeIfPresent(classLoader, JACKSON_JSON_MAPPER);
		hints.reflection().registerTypeIfPresent(classLoader, SNAPPY_FRAMED_OUTPUT_STREAM);
	}

}
