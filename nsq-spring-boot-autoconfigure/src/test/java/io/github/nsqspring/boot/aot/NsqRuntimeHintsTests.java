package io.github.nsqspring.boot.aot;

import io.github.nsqspring.boot.annotation.NsqListener;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NsqRuntimeHints}.
 */
class NsqRuntimeHintsTests {

	@Test
	void registrarIsListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(NsqRuntimeHints.class);
	}

	@Test
	void composedListenerAnnotationsCanBeSynthesized() {
		RuntimeHints hints = hints(getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(NsqListener.class)).accepts(hints);
	}

	@Test
	void optionalLibrariesDetectedByNameAreRegisteredWhenPresent() {
		RuntimeHints hints = hints(getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(NsqRuntimeHints.JACKSON_JSON_MAPPER)))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(NsqRuntimeHints.SNAPPY_FRAMED_OUTPUT_STREAM))).accepts(hints);
	}

	@Test
	void optionalLibrariesThatAreAbsentAreNotRegistered() {
		RuntimeHints hints = hints(new FilteredClassLoader("tools.jackson.", "org.xerial.snappy."));
		assertThat(hints.reflection().typeHints()).isEmpty();
	}

	private static RuntimeHints hints(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new NsqRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

}
