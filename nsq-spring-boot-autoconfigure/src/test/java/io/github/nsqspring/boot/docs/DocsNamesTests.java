package io.github.nsqspring.boot.docs;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.nsqspring.boot.docs.ConfigurationReference.Property;
import io.github.nsqspring.boot.docs.MarkdownDocs.CodeBlock;
import io.github.nsqspring.boot.docs.MarkdownDocs.Page;
import io.github.nsqspring.boot.metrics.MicrometerNsqListenerMetrics;
import io.github.nsqspring.boot.metrics.MicrometerNsqTemplateMetrics;
import io.github.nsqspring.boot.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.boot.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.boot.observation.NsqListenerObservation;
import io.github.nsqspring.boot.observation.NsqTemplateObservation;
import io.micrometer.common.docs.KeyName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The names the guide uses exist: every {@code nsq.*} name it mentions (in prose, in code
 * and as YAML keys) is a property or property group of the configuration metadata, a
 * meter, an observation or an observation tag; and the observability page names every
 * meter, observation and tag the code records.
 */
class DocsNamesTests {

	private static final Pattern NSQ_NAME = Pattern.compile("(?<![\\w./])nsq\\.[a-z0-9_.*-]*[a-z0-9_*]");

	private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)([\\w.-]+):(?:\\s+(.*))?$");

	@Test
	void everyNsqNameInTheGuideExists() {
		Known known = Known.load();
		List<String> unknown = new ArrayList<>();
		int checked = 0;
		for (Page page : MarkdownDocs.pages()) {
			for (int i = 0; i < page.lines().size(); i++) {
				Matcher name = NSQ_NAME.matcher(page.lines().get(i));
				while (name.find()) {
					checked++;
					if (!known.isKnown(name.group())) {
						unknown.add(page.name() + ":" + (i + 1) + ": " + name.group());
					}
				}
			}
			for (CodeBlock block : page.codeBlocks()) {
				if (block.language().equals("yaml") || block.language().equals("yml")) {
					for (YamlKey key : yamlKeys(block)) {
						checked++;
						if (key.path().startsWith("nsq.") && !known.isKnown(key.path())) {
							unknown.add(block.location(key.line()) + ": " + key.path() + " (YAML)");
						}
					}
				}
			}
		}
		assertThat(checked).as("nsq.* names checked").isGreaterThan(50);
		assertThat(unknown)
			.as("nsq.* names in the guide that are no property, group, meter, observation or tag (properties: "
					+ ConfigurationReference.METADATA + ")")
			.isEmpty();
	}

	@Test
	void observabilityPageNamesEveryMeterObservationAndTag() {
		Known known = Known.load();
		String page = MarkdownDocs.pages()
			.stream()
			.filter((candidate) -> candidate.name().equals("docs/observability.md"))
			.findFirst()
			.map((candidate) -> String.join("\n", candidate.lines()))
			.orElseThrow();
		Set<String> names = new LinkedHashSet<>(known.meters);
		names.addAll(known.observations);
		names.addAll(known.tags);
		assertThat(names).as("meters, observations and tags recorded by the code").hasSizeGreaterThan(20);
		assertThat(names).as("names docs/observability.md does not mention")
			.filteredOn((name) -> !page.contains("`" + name + "`") && !page.contains("`" + name + "=")
					&& !page.contains(name + "`"))
			.isEmpty();
	}

	@Test
	void yamlKeysAreFlattenedByIndentation() {
		CodeBlock block = new CodeBlock(null, "yaml", null, 10, """
				nsq:
				  consumer:
				    max-in-flight: 200   # comment
				    backoff:
				      max: 1m
				  client.properties:
				    msg_timeout: 2m
				spring:
				  application:
				    name: x
				""");
		assertThat(yamlKeys(block)).containsExactly(new YamlKey("nsq.consumer.max-in-flight", 2),
				new YamlKey("nsq.consumer.backoff.max", 4), new YamlKey("nsq.client.properties.msg_timeout", 6),
				new YamlKey("spring.application.name", 9));
	}

	/**
	 * The keys of a YAML block that have a value, as property names.
	 */
	static List<YamlKey> yamlKeys(CodeBlock block) {
		List<YamlKey> keys = new ArrayList<>();
		Deque<Integer> indents = new ArrayDeque<>();
		Deque<String> path = new ArrayDeque<>();
		List<String> lines = block.text().lines().toList();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).replaceFirst("\\s+#.*$", "");
			Matcher key = YAML_KEY.matcher(line);
			if (line.isBlank() || line.strip().startsWith("#") || !key.matches()) {
				continue;
			}
			int indent = key.group(1).length();
			while (!indents.isEmpty() && indents.peek() >= indent) {
				indents.pop();
				path.pop();
			}
			indents.push(indent);
			path.push(key.group(2));
			String value = key.group(3);
			if (value != null && !value.isBlank()) {
				List<String> segments = new ArrayList<>(path);
				Collections.reverse(segments);
				keys.add(new YamlKey(String.join(".", segments), i));
			}
		}
		return keys;
	}

	record YamlKey(String path, int line) {
	}

	/**
	 * The names the code defines.
	 */
	static final class Known {

		final List<Property> properties;

		final Set<String> groups = new LinkedHashSet<>();

		final Set<String> meters = new LinkedHashSet<>();

		final Set<String> observations = new LinkedHashSet<>();

		final Set<String> tags = new LinkedHashSet<>();

		private Known(ConfigurationReference reference) {
			this.properties = reference.properties();
			reference.groups().forEach((group) -> this.groups.add(group.name()));
			for (Property property : this.properties) {
				for (int dot = property.name().indexOf('.'); dot > 0; dot = property.name().indexOf('.', dot + 1)) {
					this.groups.add(property.name().substring(0, dot));
				}
			}
			Stream.of(MicrometerNsqListenerMetrics.class, MicrometerNsqTemplateMetrics.class)
				.flatMap((type) -> Stream.of(type.getFields()))
				.filter((field) -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
				.map(Known::value)
				.forEach(this.meters::add);
			this.observations.add(DefaultNsqTemplateObservationConvention.INSTANCE.getName());
			this.observations.add(DefaultNsqListenerObservationConvention.INSTANCE.getName());
			Stream.of(NsqTemplateObservation.values(), NsqListenerObservation.values())
				.flatMap(Stream::of)
				.flatMap((observation) -> Stream.concat(Stream.of(observation.getLowCardinalityKeyNames()),
						Stream.of(observation.getHighCardinalityKeyNames())))
				.map(KeyName::asString)
				.forEach(this.tags::add);
		}

		static Known load() {
			return new Known(ConfigurationReference.load(MarkdownDocs.root()));
		}

		boolean isKnown(String name) {
			String bare = name.endsWith(".*") ? name.substring(0, name.length() - 2) : name;
			if (this.groups.contains(bare) || this.meters.contains(name) || this.observations.contains(name)
					|| this.tags.contains(name)) {
				return true;
			}
			for (Property property : this.properties) {
				if (property.name().equals(bare) || (property.isMap() && name.startsWith(property.name() + "."))) {
					return true;
				}
			}
			return false;
		}

		private static String value(Field field) {
			try {
				return (String) field.get(null);
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
