package io.github.nsqspring.boot.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.nsqspring.boot.docs.MarkdownDocs.Page;
import io.github.nsqspring.core.NsqConfigException;
import io.github.nsqspring.core.config.NsqConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The go-nsq option table of {@code docs/migrating.md} (section {@value #HEADING})
 * matches nsq-core: every option it lists is accepted by {@link NsqConfig.Builder#set},
 * every option nsq-core accepts is listed, and a default written as a literal
 * ({@code `90s`}) is nsq-core's default.
 * <p>
 * nsq-core has no list of its option names; the options it holds are read from
 * {@link NsqConfig#toString()} ({@code name=value} pairs) and kept when {@code set}
 * accepts them.
 */
class GoNsqOptionsDocsTests {

	static final String PAGE = "docs/migrating.md";

	static final String HEADING = "## go-nsq option names";

	private static final Pattern CODE = Pattern.compile("^`([^`]+)`$");

	private static final Pattern TO_STRING_KEY = Pattern.compile("([a-z][a-z0-9_]*)=");

	private static Map<String, String> table;

	@BeforeAll
	static void readTable() {
		Page page = MarkdownDocs.pages()
			.stream()
			.filter((candidate) -> candidate.name().equals(PAGE))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(PAGE + " is missing"));
		int start = page.lines().indexOf(HEADING);
		assertThat(start).as("line '%s' in %s", HEADING, PAGE).isNotNegative();
		table = new LinkedHashMap<>();
		boolean inTable = false;
		for (String line : page.lines().subList(start + 1, page.lines().size())) {
			if (!line.startsWith("|")) {
				if (inTable) {
					break;
				}
				continue;
			}
			inTable = true;
			String[] cells = line.split("\\|", -1);
			Matcher option = CODE.matcher(cells[1].strip());
			if (option.matches()) {
				table.put(option.group(1), cells[2].strip());
			}
		}
		assertThat(table).as("options in the table of %s", PAGE).hasSizeGreaterThan(30);
	}

	@Test
	void everyListedOptionIsAcceptedByTheCore() {
		assertThat(table.keySet()).as("options of %s that NsqConfig.Builder.set does not know", PAGE)
			.filteredOn((option) -> !accepted(option))
			.isEmpty();
	}

	@Test
	void everyOptionOfTheCoreIsListed() {
		Set<String> held = new LinkedHashSet<>();
		Matcher key = TO_STRING_KEY.matcher(NsqConfig.defaults().toString());
		while (key.find()) {
			if (accepted(key.group(1))) {
				held.add(key.group(1));
			}
		}
		assertThat(held)
			.as("options read from NsqConfig.toString() (if this fails, its format changed: read "
					+ "the option names some other way)")
			.hasSizeGreaterThan(30);
		assertThat(held).as("options of NsqConfig missing from the table of %s", PAGE).isSubsetOf(table.keySet());
	}

	@Test
	void literalDefaultsAreTheCoresDefaults() {
		String defaults = NsqConfig.defaults().toString();
		List<String> wrong = new ArrayList<>();
		int checked = 0;
		for (Map.Entry<String, String> row : table.entrySet()) {
			Matcher literal = CODE.matcher(row.getValue());
			if (!literal.matches()) {
				continue;
			}
			checked++;
			String withDefault;
			try {
				withDefault = NsqConfig.builder().set(row.getKey(), literal.group(1)).build().toString();
			}
			catch (RuntimeException ex) {
				wrong.add(row.getKey() + " = " + literal.group(1) + ": " + ex.getMessage());
				continue;
			}
			if (!withDefault.equals(defaults)) {
				wrong.add(row.getKey() + " = " + literal.group(1) + " is not the default");
			}
		}
		assertThat(checked).as("literal defaults checked").isGreaterThan(25);
		assertThat(wrong).as("defaults in %s that differ from NsqConfig's", PAGE).isEmpty();
	}

	private static boolean accepted(String option) {
		try {
			NsqConfig.builder().set(option, "x");
			return true;
		}
		catch (NsqConfigException ex) {
			return ex.getMessage() == null || !ex.getMessage().startsWith("unknown option");
		}
		catch (RuntimeException ex) {
			// the name is known, the probe value is not valid for it
			return true;
		}
	}

}
