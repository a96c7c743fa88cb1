package io.github.nsqspring.boot.docs;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import io.github.nsqspring.boot.docs.MarkdownDocs.CodeBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compiles every {@code ```java} block of {@code docs/*.md} and {@code README.md} against
 * the project's modules (this module's test class path, which holds nsq-core, the Spring
 * layer, nsq-test and their optional dependencies), so that a renamed method breaks the
 * build instead of the reader.
 * <p>
 * How a block is compiled:
 * <ul>
 * <li>A block that declares a type at column 0 ({@code class}, {@code interface},
 * {@code record}, {@code enum}, optionally with modifiers) is a <b>compilation unit</b>.
 * With {@code import} lines it compiles exactly as written, so it must import all it
 * uses; without any, the {@linkplain #DEFAULT_IMPORTS default imports} are added (short
 * examples, as in the README).</li>
 * <li>A block whose first code line is an annotation or a method declaration is a
 * <b>class body</b>: it is placed in a class with the default imports.</li>
 * <li>Any other block is a list of <b>statements</b>: it is placed in a method of such a
 * class, which may throw {@code Exception}.</li>
 * <li>An HTML comment on the line before the fence overrides the guess:
 * {@code <!-- snippet: unit -->}, {@code <!-- snippet: members -->} or
 * {@code <!-- snippet: statements -->}.</li>
 * </ul>
 * Each block gets a package of its own, so blocks may declare the same names. Blocks must
 * be self-contained: declare the small types they use ({@code record Order(...)}).
 * Errors, and deprecation warnings, name the Markdown file and line.
 */
class DocsJavaSnippetsTests {

	/**
	 * The imports of blocks that show none: the packages an application using the starter
	 * works with. On-demand imports, so a block may declare a type of the same name.
	 */
	static final List<String> DEFAULT_IMPORTS = List.of("java.nio.charset", "java.time", "java.util",
			"java.util.concurrent", "io.github.nsqspring.core", "io.github.nsqspring.core.config",
			"io.github.nsqspring.core.consumer", "io.github.nsqspring.core.producer", "io.github.nsqspring.boot.admin",
			"io.github.nsqspring.boot.annotation", "io.github.nsqspring.boot.autoconfigure",
			"io.github.nsqspring.boot.config", "io.github.nsqspring.boot.core", "io.github.nsqspring.boot.event",
			"io.github.nsqspring.boot.listener", "io.github.nsqspring.boot.support",
			"io.github.nsqspring.boot.support.converter", "io.github.nsqspring.boot.support.envelope",
			"io.github.nsqspring.test", "io.github.nsqspring.test.junit", "org.springframework.boot",
			"org.springframework.boot.autoconfigure", "org.springframework.context.annotation",
			"org.springframework.context.event", "org.springframework.messaging",
			"org.springframework.messaging.handler.annotation", "org.springframework.messaging.support",
			"org.springframework.stereotype");

	private static final Pattern TYPE_DECLARATION = Pattern.compile(
			"^(?:(?:public|protected|private|abstract|final|sealed|non-sealed|static|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

	private static final Pattern PUBLIC_TYPE = Pattern.compile(
			"^public\\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

	private static final Pattern METHOD_DECLARATION = Pattern
		.compile("^(?!(?:new|return|throw|else|case|yield|await)\\b)[\\w<>\\[\\]?,. ]+\\s+\\w+\\s*\\([^;]*$");

	@Test
	void everyJavaSnippetCompiles(@TempDir Path output) {
		List<Snippet> snippets = new ArrayList<>();
		for (MarkdownDocs.Page page : MarkdownDocs.pages()) {
			for (CodeBlock block : page.codeBlocks()) {
				if (block.language().equals("java")) {
					snippets.add(Snippet.of(block, snippets.size()));
				}
			}
		}
		assertThat(snippets).as("Java snippets found in the guide").hasSizeGreaterThan(20);
		List<String> problems = compile(snippets, output);
		assertThat(problems)
			.as("Java snippets of the guide that do not compile (%d snippets compiled)", snippets.size())
			.isEmpty();
	}

	private static List<String> compile(List<Snippet> snippets, Path output) {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("a JDK compiler (the build runs on a JDK)").isNotNull();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		List<String> options = List.of("--release", "17", "-proc:none", "-implicit:none", "-Xlint:deprecation,removal",
				"-classpath", classPath(), "-d", output.toString());
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
			List<JavaFileObject> sources = snippets.stream().map(Snippet::source).collect(Collectors.toList());
			compiler.getTask(null, files, diagnostics, options, null, sources).call();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		Map<URI, Snippet> bySource = snippets.stream()
			.collect(Collectors.toMap((snippet) -> snippet.source().toUri(), (snippet) -> snippet));
		List<String> problems = new ArrayList<>();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
			boolean deprecation = diagnostic.getKind() != Diagnostic.Kind.ERROR && diagnostic.getCode() != null
					&& (diagnostic.getCode().contains("deprecated") || diagnostic.getCode().contains("removal"));
			if (diagnostic.getKind() != Diagnostic.Kind.ERROR && !deprecation) {
				continue;
			}
			Snippet snippet = (diagnostic.getSource() != null) ? bySource.get(diagnostic.getSource().toUri()) : null;
			String where = (snippet != null) ? snippet.location(diagnostic.getLineNumber()) : "(compiler)";
			problems.add(where + ": " + (deprecation ? "warning: " : "") + diagnostic.getMessage(Locale.ROOT));
		}
		return problems;
	}

	/**
	 * The test class path. Surefire may run tests from a manifest-only jar; javac follows
	 * its {@code Class-Path}, but the plain list is preferred when Surefire gives it.
	 */
	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		String path = (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
		return Arrays.stream(path.split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank())
			.collect(Collectors.joining(File.pathSeparator));
	}

	enum Kind {

		UNIT, MEMBERS, STATEMENTS

	}

	/**
	 * A code block turned into a Java source file.
	 */
	record Snippet(CodeBlock block, Kind kind, JavaFileObject source, int headerLines) {

		static Snippet of(CodeBlock block, int index) {
			Kind kind = kind(block);
			String pkg = "snippet.s" + index + "_" + block.page().name().replaceAll("[^A-Za-z0-9]", "_") + "_line"
					+ block.firstLine();
			String code = block.text();
			StringBuilder header = new StringBuilder();
			String footer = "";
			String typeName = "Snippet";
			boolean hasImports = code.lines().anyMatch((line) -> line.startsWith("import "));
			boolean hasPackage = code.lines().anyMatch((line) -> line.startsWith("package "));
			if (!hasPackage) {
				header.append("package ").append(pkg).append(";\n");
			}
			if (kind != Kind.UNIT || !hasImports) {
				DEFAULT_IMPORTS.forEach((name) -> header.append("import ").append(name).append(".*;\n"));
			}
			if (kind == Kind.UNIT) {
				typeName = code.lines()
					.map(PUBLIC_TYPE::matcher)
					.filter(Matcher::find)
					.map((matcher) -> matcher.group(1))
					.findFirst()
					.orElse("Snippet");
			}
			else if (kind == Kind.MEMBERS) {
				header.append("class Snippet {\n");
				footer = "\n}\n";
			}
			else {
				header.append("class Snippet {\nvoid snippet() throws Exception {\n");
				footer = "\n}\n}\n";
			}
			int headerLines = (int) header.chars().filter((c) -> c == '\n').count();
			String text = header + code + "\n" + footer;
			URI uri = URI.create("string:///" + pkg.replace('.', '/') + "/" + typeName + ".java");
			JavaFileObject source = new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {

				@Override
				public CharSequence getCharContent(boolean ignoreEncodingErrors) {
					return text;
				}

			};
			return new Snippet(block, kind, source, headerLines);
		}

		private static Kind kind(CodeBlock block) {
			if (block.directive() != null) {
				try {
					return Kind.valueOf(block.directive().toUpperCase(Locale.ROOT));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException(block.location(-1) + ": unknown snippet kind '" + block.directive()
							+ "' (unit, members or statements)");
				}
			}
			if (block.text().lines().anyMatch((line) -> TYPE_DECLARATION.matcher(line).find())) {
				return Kind.UNIT;
			}
			String first = block.text()
				.lines()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("//") && !line.startsWith("/*")
						&& !line.startsWith("*"))
				.findFirst()
				.orElse("");
			return (first.startsWith("@") || METHOD_DECLARATION.matcher(first).find()) ? Kind.MEMBERS : Kind.STATEMENTS;
		}

		/**
		 * The Markdown location of a line of the generated source.
		 * @param sourceLine 1-based line in the source, or a negative number
		 * @return the file and line in the guide
		 */
		String location(long sourceLine) {
			long inBlock = sourceLine - this.headerLines - 1;
			long blockLines = this.block.text().lines().count();
			return this.block.location((int) ((inBlock >= 0 && inBlock < blockLines) ? inBlock : -1)) + " ("
					+ this.kind.name().toLowerCase(Locale.ROOT) + " snippet)";
		}

	}

}
