package io.github.nsqspring.apptests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application running as a JVM of its own, its standard output and error
 * going to a file.
 *
 * @author nsq-spring
 */
final class LaunchedApp {

	private final String name;

	private final Process process;

	private final Path log;

	LaunchedApp(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	String name() {
		return this.name;
	}

	Process process() {
		return this.process;
	}

	/**
	 * Wait until the application printed a line containing {@code text}.
	 * @param text what the line contains
	 * @param atMost the longest wait
	 * @throws org.awaitility.core.ConditionTimeoutException when it did not, or ended
	 * without doing so
	 */
	void awaitLine(String text, Duration atMost) {
		await().atMost(atMost)
			.pollInterval(Duration.ofMillis(50))
			.failFast(this.name + " ended without printing '" + text + "'",
					() -> !this.process.isAlive() && !hasLine(text))
			.until(() -> hasLine(text));
	}

	boolean hasLine(String text) {
		return lines().stream().anyMatch((line) -> line.contains(text));
	}

	/**
	 * The index of the first line containing a text.
	 * @param text the text
	 * @return the line index, or -1
	 */
	int lineIndex(String text) {
		List<String> lines = lines();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The first line containing a text.
	 * @param text the text
	 * @return the line
	 * @throws AssertionError when there is none
	 */
	String line(String text) {
		return lines().stream()
			.filter((line) -> line.contains(text))
			.findFirst()
			.orElseThrow(() -> new AssertionError(this.name + " printed no line with '" + text + "'"));
	}

	List<String> lines() {
		try {
			return Files.readAllLines(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String output() {
		return String.join(System.lineSeparator(), lines());
	}

	/**
	 * Send SIGTERM, as a container runtime or {@code kill} does: the JVM runs its
	 * shutdown hooks (Spring closes the context) and exits.
	 */
	void sigterm() {
		this.process.destroy();
	}

	/**
	 * Send SIGKILL: the JVM ends at once, nothing runs.
	 */
	void sigkill() {
		this.process.destroyForcibly();
	}

	/**
	 * Wait for the JVM to end.
	 * @param atMost the longest wait
	 * @return whether it ended
	 */
	boolean awaitExit(Duration atMost) throws InterruptedException {
		return this.process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * End the JVM if it still runs, and wait for it.
	 */
	void kill() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + this.process.pid() + ", output in " + this.log + ")";
	}

}
