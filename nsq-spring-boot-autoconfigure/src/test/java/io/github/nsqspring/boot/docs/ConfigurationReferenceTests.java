package io.github.nsqspring.boot.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.nsqspring.boot.docs.ConfigurationReference.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/configuration.md} lists every property of the configuration metadata, with
 * its type, default and description, as {@link ConfigurationReference} renders them. When
 * a property is added, renamed or re-documented, this test fails until the page is
 * regenerated:
 *
 * <pre>
 * ./mvnw -q -pl nsq-spring-boot-autoconfigure -am test -Dtest=ConfigurationReferenceTests -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true
 * </pre>
 *
 * which rewrites the generated section of the page (and passes).
 */
class ConfigurationReferenceTests {

	static final String PAGE = "docs/configuration.md";

	static final String SECTION = "configuration-properties";

	static final String REGENERATE = "./mvnw -q -pl nsq-spring-boot-autoconfigure -am test "
			+ "-Dtest=ConfigurationReferenceTests -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.update=true";

	@Test
	void configurationPageListsEveryPropertyOfTheMetadata() throws IOException {
		Path root = MarkdownDocs.root();
		Path page = root.resolve(PAGE);
		String current = Files.readString(page, StandardCharsets.UTF_8);
		String generated = MarkdownDocs.replaceGenerated(current, SECTION,
				ConfigurationReference.load(root).toMarkdown() + "\n");
		if (generated.equals(current)) {
			return;
		}
		if (Boolean.getBoolean("docs.update")) {
			Files.writeString(page, generated, StandardCharsets.UTF_8);
			return;
		}
		fail(PAGE + " is out of date with the configuration metadata (" + ConfigurationReference.METADATA
				+ "), first difference at line " + firstDifference(current, generated) + ". Regenerate it with:\n"
				+ REGENERATE);
	}

	@Test
	void everyPropertyIsDescribed() {
		List<Property> properties = ConfigurationReference.load(MarkdownDocs.root()).properties();
		assertThat(properties).as("properties in the metadata").hasSizeGreaterThan(40);
		assertThat(properties).as("properties without javadoc (the description of the reference)")
			.filteredOn((property) -> property.description().isBlank())
			.extracting(Property::name)
			.isEmpty();
	}

	@Test
	void rendersGroupsTypesDefaultsAndEnumValues() {
		String json = """
				{"groups": [{"name": "nsq"}, {"name": "nsq.consumer"}, {"name": "nsq.consumer.backoff"}],
				 "properties": [
				  {"name": "nsq.consumer.max-in-flight", "type": "java.lang.Integer", "defaultValue": 1,
				   "description": "Most messages | held."},
				  {"name": "nsq.consumer.backoff.strategy",
				   "type": "io.github.nsqspring.boot.autoconfigure.NsqProperties$BackoffStrategyType",
				   "defaultValue": "exponential", "description": "How it grows."},
				  {"name": "nsq.consumer.msg-timeout", "type": "java.time.Duration", "description": "Timeout."},
				  {"name": "nsq.client.properties", "type": "java.util.Map<java.lang.String,java.lang.String>",
				   "description": "Options.", "deprecation": {"replacement": "nsq.other", "reason": "renamed"}}
				 ]}
				""";
		String markdown = ConfigurationReference.parse(json).toMarkdown();
		assertThat(markdown)
			.contains(
					"""
							### `nsq`

							| property | type | default | description |
							|---|---|---|---|
							| `nsq.client.properties.*` | `Map<String, String>` | (none) | Deprecated, use `nsq.other`: renamed. Options. |
							""")
			.contains("""
					### `nsq.consumer`

					| property | type | default | description |
					|---|---|---|---|
					| `nsq.consumer.max-in-flight` | `int` | `1` | Most messages \\| held. |
					| `nsq.consumer.msg-timeout` | `Duration` | (none) | Timeout. |
					""")
			.contains("""
					| `nsq.consumer.backoff.strategy` | `exponential`, `full-jitter` | `exponential` | How it grows. |
					""");
		assertThat(markdown.indexOf("### `nsq.consumer`")).isLessThan(markdown.indexOf("### `nsq.consumer.backoff`"));
	}

	private static int firstDifference(String current, String generated) {
		List<String> a = current.lines().toList();
		List<String> b = generated.lines().toList();
		int line = 0;
		while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
			line++;
		}
		return line + 1;
	}

}
