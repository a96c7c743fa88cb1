package io.github.nsqspring.apptests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Launches fixture applications as JVMs of their own with this JVM's {@code java} and
 * class path, each one's output in {@code target/app-tests/<test>-<n>-<name>.log}. After
 * each test it kills what still runs, and prints the output of every application of a
 * test that failed.
 *
 * @author nsq-spring
 */
final class AppLauncher implements BeforeEachCallback, AfterEachCallback {

	private static final Path LOGS = Path.of("target", "app-tests");

	private final List<LaunchedApp> apps = new ArrayList<>();

	private String testName = "test";

	/**
	 * Launch an application with the whole class path.
	 * @param name a name for its log file
	 * @param main its main class
	 * @param args its arguments ({@code --property=value})
	 * @return the running application
	 */
	LaunchedApp launch(String name, Class<?> main, List<String> args) throws IOException {
		return launch(name, main, args, (entry) -> true);
	}

	/**
	 * Launch an application with part of the class path.
	 * @param name a name for its log file
	 * @param main its main class
	 * @param args its arguments ({@code --property=value})
	 * @param classpathFilter which class path entries it gets
	 * @return the running application
	 */
	LaunchedApp launch(String name, Class<?> main, List<String> args, Predicate<Path> classpathFilter)
			throws IOException {
		Files.createDirectories(LOGS);
		Path log = LOGS.resolve(this.testName + "-" + (this.apps.size() + 1) + "-" + name + ".log");
		List<String> command = new ArrayList<>();
		command.add(javaCommand());
		// a small, quickly started JVM: the machine running the tests is shared
		command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
				String.join(File.pathSeparator, classpath(classpathFilter)), main.getName(),
				"--spring.main.banner-mode=off"));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		LaunchedApp app = new LaunchedApp(name, process, log);
		this.apps.add(app);
		return app;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		String test = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
		this.testName = test.replaceAll("[^A-Za-z0-9_-]+", "_");
	}

	static List<String> classpath(Predicate<Path> filter) {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank() && filter.test(Path.of(entry)))
			.toList();
	}

	private static String javaCommand() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	/**
	 * Kill every application that still runs, and wait for each to end.
	 */
	void killAll() throws InterruptedException {
		for (LaunchedApp app : this.apps) {
			app.kill();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) throws Exception {
		try {
			killAll();
			if (context.getExecutionException().isPresent()) {
				for (LaunchedApp app : this.apps) {
					System.out.println("==== output of " + app + System.lineSeparator() + app.output());
				}
			}
		}
		finally {
			this.apps.clear();
		}
	}

}
