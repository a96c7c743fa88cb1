package io.github.nsqspring.boot.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the {@code nsq.*} properties of the configuration metadata as Markdown, for
 * {@code docs/configuration.md}. The metadata is what Spring Boot's configuration
 * processor generated from {@code NsqProperties} (its javadoc is the description, its
 * field initializers the default), merged with
 * {@code META-INF/additional-spring-configuration-metadata.json} when the module has one.
 * <p>
 * One table per group ({@code nsq.consumer}, {@code nsq.consumer.backoff}, ...), groups
 * and properties in name order; a property belongs to the longest group its name starts
 * with. Enum types list their values as they are written in properties.
 */
final class ConfigurationReference {

	/** The metadata of this module, as the build generated it. */
	static final String METADATA = "nsq-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json";

	/** The default column of a property without a default (its description says why). */
	static final String NO_DEFAULT = "(none)";

	private final List<Group> groups;

	private ConfigurationReference(List<Group> groups) {
		this.groups = groups;
	}

	/**
	 * Read the metadata of this module.
	 * @param root the repository root
	 * @return the reference
	 */
	static ConfigurationReference load(Path root) {
		Path file = root.resolve(METADATA);
		String json;
		try {
			json = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file + " (compile the module first)", ex);
		}
		return parse(json);
	}

	@SuppressWarnings("unchecked")
	static ConfigurationReference parse(String json) {
		Map<String, Object> metadata = JsonMapper.builder().build().readValue(json, Map.class);
		Map<String, Group> groups = new TreeMap<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) metadata.getOrDefault("groups", List.of())) {
			String name = (String) group.get("name");
			groups.put(name, new Group(name, new ArrayList<>()));
		}
		for (Map<String, Object> item : (List<Map<String, Object>>) metadata.getOrDefault("properties", List.of())) {
			Property property = Property.of(item);
			String groupName = groups.keySet()
				.stream()
				.filter((name) -> property.name().startsWith(name + "."))
				.max(Comparator.comparingInt(String::length))
				.orElse("");
			groups.computeIfAbsent(groupName, (name) -> new Group(name, new ArrayList<>())).properties().add(property);
		}
		List<Group> rendered = new ArrayList<>();
		for (Group group : groups.values()) {
			if (!group.properties().isEmpty()) {
				group.properties().sort(Comparator.comparing(Property::name));
				rendered.add(group);
			}
		}
		return new ConfigurationReference(rendered);
	}

	/**
	 * The groups that hold properties, in name order.
	 * @return the groups
	 */
	List<Group> groups() {
		return this.groups;
	}

	/**
	 * Every property.
	 * @return the properties
	 */
	List<Property> properties() {
		return this.groups.stream().flatMap((group) -> group.properties().stream()).collect(Collectors.toList());
	}

	/**
	 * The Markdown: a heading and a table per group.
	 * @return the Markdown, ending with a newline
	 */
	String toMarkdown() {
		StringBuilder markdown = new StringBuilder();
		for (Group group : this.groups) {
			markdown.append("\n### `").append(group.name()).append("`\n\n");
			markdown.append("| property | type | default | description |\n");
			markdown.append("|---|---|---|---|\n");
			for (Property property : group.properties()) {
				markdown.append("| `")
					.append(property.displayName())
					.append("` | ")
					.append(property.displayType())
					.append(" | ")
					.append(property.displayDefault())
					.append(" | ")
					.append(cell(property.displayDescription()))
					.append(" |\n");
			}
		}
		return markdown.toString();
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replaceAll("\\s*\\R\\s*", " ").strip();
	}

	/**
	 * A group of properties.
	 *
	 * @param name its prefix, e.g. {@code nsq.consumer.backoff}
	 * @param properties its properties
	 */
	record Group(String name, List<Property> properties) {
	}

	/**
	 * One property of the metadata.
	 *
	 * @param name e.g. {@code nsq.consumer.max-in-flight}
	 * @param type the Java type as the metadata names it
	 * @param defaultValue the default, or {@code null} when there is none
	 * @param description the description (the field's javadoc), may be empty
	 * @param deprecation the deprecation note, or {@code null}
	 */
	record Property(String name, String type, Object defaultValue, String description, String deprecation) {

		@SuppressWarnings("unchecked")
		static Property of(Map<String, Object> item) {
			String deprecation = null;
			Object deprecated = item.get("deprecation");
			if (deprecated instanceof Map<?, ?> details) {
				Map<String, Object> map = (Map<String, Object>) details;
				deprecation = "Deprecated"
						+ ((map.get("replacement") != null) ? ", use `" + map.get("replacement") + "`" : "")
						+ ((map.get("reason") != null) ? ": " + map.get("reason") : "") + ".";
			}
			else if (Boolean.TRUE.equals(item.get("deprecated"))) {
				deprecation = "Deprecated.";
			}
			return new Property((String) item.get("name"), (String) item.getOrDefault("type", "java.lang.Object"),
					item.get("defaultValue"), (String) item.getOrDefault("description", ""), deprecation);
		}

		/**
		 * Whether the property is a map: its keys go after its name.
		 * @return {@code true} for a {@code Map} type
		 */
		boolean isMap() {
			return this.type.startsWith("java.util.Map<");
		}

		String displayName() {
			return isMap() ? this.name + ".*" : this.name;
		}

		String displayType() {
			List<String> values = enumValues();
			if (!values.isEmpty()) {
				return values.stream().map((value) -> "`" + value + "`").collect(Collectors.joining(", "));
			}
			String simple = this.type.replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z])", "$1")
				.replace("Boolean", "boolean")
				.replace("Integer", "int")
				.replace("Long", "long")
				.replace("Double", "double")
				.replace(",", ", ");
			return "`" + simple + "`";
		}

		String displayDefault() {
			if (this.defaultValue == null || (this.defaultValue instanceof List<?> list && list.isEmpty())) {
				return NO_DEFAULT;
			}
			if (this.defaultValue instanceof List<?> list) {
				return list.stream().map((value) -> "`" + value + "`").collect(Collectors.joining(", "));
			}
			return "`" + this.defaultValue + "`";
		}

		String displayDescription() {
			return (this.deprecation != null) ? this.deprecation + " " + this.description : this.description;
		}

		/**
		 * The values of an enum type, as properties write them ({@code FULL_JITTER} as
		 * {@code full-jitter}).
		 * @return the values, empty when the type is not an enum on the class path
		 */
		List<String> enumValues() {
			try {
				Class<?> type = Class.forName(this.type, false, ConfigurationReference.class.getClassLoader());
				if (!type.isEnum()) {
					return List.of();
				}
				return Arrays.stream(type.getEnumConstants())
					.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
					.collect(Collectors.toList());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return List.of();
			}
		}

	}

}
