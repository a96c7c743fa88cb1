package io.github.nsqspring.boot.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reference guide as the docs tests read it: the Markdown pages of {@code docs/} and
 * the top-level {@code README.md}, their fenced code blocks and their generated sections.
 * Found from the location of the compiled tests ({@code <module>/target/test-classes}),
 * so the tests do not depend on the working directory.
 */
final class MarkdownDocs {

	private static final Pattern FENCE = Pattern.compile("^ {0,3}```\\s*([\\w+-]*)\\s*$");

	private static final Pattern DIRECTIVE = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([\\w-]+)\\s*-->\\s*$");

	private MarkdownDocs() {
	}

	/**
	 * The root of the repository: the folder holding {@code README.md} and {@code docs/}.
	 * @return the root
	 */
	static Path root() {
		try {
			Path testClasses = Path.of(MarkdownDocs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			for (Path dir = testClasses; dir != null; dir = dir.getParent()) {
				if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
						&& Files.isRegularFile(dir.resolve("mvnw"))) {
					return dir;
				}
			}
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("cannot find the repository root (README.md, docs/, mvnw) above "
				+ MarkdownDocs.class.getProtectionDomain().getCodeSource().getLocation());
	}

	/**
	 * Every page of the guide, {@code docs/*.md} in name order, then the top-level
	 * {@code README.md}.
	 * @return the pages
	 */
	static List<Page> pages() {
		Path root = root();
		List<Page> pages = new ArrayList<>();
		try (Stream<Path> files = Files.list(root.resolve("docs"))) {
			files.filter((file) -> file.getFileName().toString().endsWith(".md"))
				.sorted()
				.forEach((file) -> pages.add(Page.read(root, file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		pages.add(Page.read(root, root.resolve("README.md")));
		return pages;
	}

	/**
	 * Replace the generated section {@code id} of a page: the lines between
	 * {@code <!-- BEGIN GENERATED: id ... -->} and {@code <!-- END GENERATED: id -->}.
	 * @param text the page
	 * @param id the section's id
	 * @param content the new content
	 * @return the page with the new content
	 * @throws IllegalStateException when the page has no such section
	 */
	static String replaceGenerated(String text, String id, String content) {
		Pattern section = Pattern.compile("(<!-- BEGIN GENERATED: " + Pattern.quote(id)
				+ "\\b[^\\n]*-->\\n)(.*?)(<!-- END GENERATED: " + Pattern.quote(id) + " -->)", Pattern.DOTALL);
		Matcher matcher = section.matcher(text);
		if (!matcher.find()) {
			throw new IllegalStateException(
					"no section '<!-- BEGIN GENERATED: " + id + " -->' ... '<!-- END GENERATED: " + id + " -->'");
		}
		return text.substring(0, matcher.start(2)) + content + text.substring(matcher.end(2));
	}

	/**
	 * One Markdown file.
	 *
	 * @param root the repository root
	 * @param file the file
	 * @param lines its lines
	 */
	record Page(Path root, Path file, List<String> lines) {

		static Page read(Path root, Path file) {
			try {
				return new Page(root, file, Files.readAllLines(file, StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * The path from the repository root, with forward slashes, as error messages name
		 * it.
		 * @return e.g. {@code docs/listeners.md}
		 */
		String name() {
			return this.root.relativize(this.file).toString().replace('\\', '/');
		}

		/**
		 * The fenced code blocks, in order.
		 * @return the blocks
		 */
		List<CodeBlock> codeBlocks() {
			List<CodeBlock> blocks = new ArrayList<>();
			String directive = null;
			for (int i = 0; i < this.lines.size(); i++) {
				String line = this.lines.get(i);
				Matcher directiveMatch = DIRECTIVE.matcher(line);
				if (directiveMatch.matches()) {
					directive = directiveMatch.group(1);
					continue;
				}
				Matcher fence = FENCE.matcher(line);
				if (!fence.matches()) {
					if (!line.isBlank()) {
						directive = null;
					}
					continue;
				}
				int end = i + 1;
				while (end < this.lines.size() && !this.lines.get(end).strip().equals("```")) {
					end++;
				}
				if (end == this.lines.size()) {
					throw new IllegalStateException(name() + ":" + (i + 1) + ": code block is never closed");
				}
				blocks.add(new CodeBlock(this, fence.group(1), directive, i + 2,
						String.join("\n", this.lines.subList(i + 1, end))));
				directive = null;
				i = end;
			}
			return blocks;
		}

		/**
		 * The text of the page outside its fenced code blocks, with line numbers.
		 * @return 1-based line number to text; code lines are blank
		 */
		List<String> proseLines() {
			List<String> prose = new ArrayList<>(this.lines);
			boolean inCode = false;
			for (int i = 0; i < prose.size(); i++) {
				boolean fence = FENCE.matcher(prose.get(i)).matches() || prose.get(i).strip().equals("```");
				if (fence || inCode) {
					prose.set(i, "");
				}
				if (fence) {
					inCode = !inCode;
				}
			}
			return prose;
		}

	}

	/**
	 * A fenced code block.
	 *
	 * @param page the page holding it
	 * @param language the info string after the opening fence ({@code java},
	 * {@code yaml}, ...), may be empty
	 * @param directive the value of a {@code <!-- snippet: ... -->} comment on the line
	 * before the fence, or {@code null}
	 * @param firstLine the 1-based line of the block's first content line in the page
	 * @param text the content
	 */
	record CodeBlock(Page page, String language, String directive, int firstLine, String text) {

		/**
		 * Where the block is, for error messages.
		 * @param lineInBlock 0-based line within the block
		 * @return e.g. {@code docs/listeners.md:42}
		 */
		String location(int lineInBlock) {
			return this.page.name() + ":" + (this.firstLine + lineInBlock);
		}

	}

}
