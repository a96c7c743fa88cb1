package io.github.nsqspring.boot.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.nsqspring.boot.docs.MarkdownDocs.Page;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide holds together: every relative link (and its {@code #anchor}) resolves, the
 * table of contents ({@code docs/README.md}) links every page, and the top-level README
 * links the guide.
 */
class DocsLinksTests {

	/**
	 * Pages written on another branch in the same round of work, linked before they are
	 * merged. A missing page of this list is tolerated; once it exists its links and
	 * anchors are checked like every other page's.
	 */
	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

	@Test
	void everyRelativeLinkResolves() {
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Page page : MarkdownDocs.pages()) {
			List<String> prose = page.proseLines();
			for (int i = 0; i < prose.size(); i++) {
				Matcher link = LINK.matcher(prose.get(i));
				while (link.find()) {
					String target = link.group(1);
					if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
						continue;
					}
					checked++;
					String problem = problem(page, target);
					if (problem != null) {
						broken.add(page.name() + ":" + (i + 1) + ": " + target + ": " + problem);
					}
				}
			}
		}
		assertThat(checked).as("relative links checked").isGreaterThan(20);
		assertThat(broken).as("broken links in the guide").isEmpty();
	}

	@Test
	void theTableOfContentsLinksEveryPage() {
		Path root = MarkdownDocs.root();
		Page index = Page.read(root, root.resolve("docs/README.md"));
		Set<String> linked = links(index).stream()
			.map((target) -> target.replaceFirst("#.*", ""))
			.collect(Collectors.toSet());
		List<String> pages = MarkdownDocs.pages()
			.stream()
			.map(Page::name)
			.filter((name) -> name.startsWith("docs/") && !name.equals("docs/README.md"))
			.map((name) -> name.substring("docs/".length()))
			.collect(Collectors.toList());
		assertThat(pages).as("pages of docs/").hasSizeGreaterThan(10);
		assertThat(linked).as("pages linked from the table of contents, docs/README.md").containsAll(pages);
	}

	@Test
	void theReadmeLinksTheGuideNearTheTop() {
		Path root = MarkdownDocs.root();
		Page readme = Page.read(root, root.resolve("README.md"));
		List<String> top = readme.lines().subList(0, Math.min(15, readme.lines().size()));
		assertThat(String.join("\n", top)).as("the first lines of README.md").contains("](docs/README.md)");
	}

	@Test
	void slugsFollowGitHub() {
		assertThat(slug("Replies: `@SendTo`")).isEqualTo("replies-sendto");
		assertThat(slug("Concurrency and max in flight")).isEqualTo("concurrency-and-max-in-flight");
		assertThat(slug("`nsq.consumer.backoff`")).isEqualTo("nsqconsumerbackoff");
		assertThat(slug("Errors, retries & dead letters")).isEqualTo("errors-retries--dead-letters");
	}

	private static String problem(Page page, String target) {
		int hash = target.indexOf('#');
		String path = (hash >= 0) ? target.substring(0, hash) : target;
		String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
		Path file = path.isEmpty() ? page.file() : page.file().getParent().resolve(path).normalize();
		if (!file.startsWith(page.root())) {
			return "points outside the repository";
		}
		String name = page.root().relativize(file).toString().replace('\\', '/');
		if (!Files.exists(file)) {
			return "no such file";
		}
		if (anchor == null || !name.endsWith(".md")) {
			return null;
		}
		Set<String> anchors = anchors(Page.read(page.root(), file));
		return anchors.contains(anchor) ? null : "no heading with anchor #" + anchor + " in " + name;
	}

	private static List<String> links(Page page) {
		List<String> targets = new ArrayList<>();
		for (String line : page.proseLines()) {
			Matcher link = LINK.matcher(line);
			while (link.find()) {
				targets.add(link.group(1));
			}
		}
		return targets;
	}

	/**
	 * The anchors GitHub gives a page's headings; a repeated heading gets {@code -1},
	 * {@code -2}, ...
	 */
	private static Set<String> anchors(Page page) {
		Map<String, Integer> seen = new HashMap<>();
		return page.proseLines().stream().map(HEADING::matcher).filter(Matcher::matches).map((heading) -> {
			String slug = slug(heading.group(1));
			int count = seen.merge(slug, 1, Integer::sum);
			return (count == 1) ? slug : slug + "-" + (count - 1);
		}).collect(Collectors.toSet());
	}

	private static String slug(String heading) {
		return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
	}

}
