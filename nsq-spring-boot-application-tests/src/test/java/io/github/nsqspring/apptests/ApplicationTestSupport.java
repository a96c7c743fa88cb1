package io.github.nsqspring.apptests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.github.nsqspring.apptests.fixtures.FixtureSupport;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqClusterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every application test has: an nsqd started for each test (one node, no
 * nsqlookupd: the applications connect to it directly), launched applications pointed at
 * it, and a folder for the files they write. Applications are killed before nsqd stops.
 *
 * @author nsq-spring
 */
abstract class ApplicationTestSupport {

	/** A JVM starting a Spring Boot application on a loaded machine. */
	static final Duration LAUNCH = Duration.ofSeconds(30);

	@RegisterExtension
	final AppLauncher launcher = new AppLauncher();

	@TempDir
	Path files;

	NsqCluster cluster;

	NsqdProbe nsqd;

	/**
	 * Start the nsqd a test runs against.
	 * @param spec what to start
	 * @return the running cluster
	 */
	abstract NsqCluster start(NsqClusterSpec spec);

	/**
	 * What to start: one nsqd with its defaults.
	 * @return the spec
	 */
	NsqClusterSpec spec() {
		return NsqClusterSpec.of(1, false);
	}

	@BeforeEach
	void startNsqd() {
		this.cluster = start(spec());
		this.nsqd = new NsqdProbe(this.cluster);
	}

	@AfterEach
	void stopNsqd() throws Exception {
		// the applications first: they would only reconnect
		this.launcher.killAll();
		this.nsqd.close();
		this.cluster.close();
	}

	/**
	 * Launch an application pointed at nsqd.
	 * @param name a name for its log file
	 * @param main its main class
	 * @param args more arguments ({@code --property=value})
	 * @return the running application
	 */
	LaunchedApp launch(String name, Class<?> main, String... args) throws Exception {
		return launch(name, main, (entry) -> true, args);
	}

	/**
	 * Launch an application pointed at nsqd, with part of the class path.
	 * @param name a name for its log file
	 * @param main its main class
	 * @param classpathFilter which class path entries it gets
	 * @param args more arguments ({@code --property=value})
	 * @return the running application
	 */
	LaunchedApp launch(String name, Class<?> main, Predicate<Path> classpathFilter, String... args) throws Exception {
		List<String> all = new ArrayList<>(this.nsqd.applicationArguments());
		all.addAll(List.of(args));
		return this.launcher.launch(name, main, all, classpathFilter);
	}

	/**
	 * Launch an application and wait until it is ready.
	 * @param name a name for its log file
	 * @param main its main class
	 * @param args more arguments ({@code --property=value})
	 * @return the ready application
	 */
	LaunchedApp launchReady(String name, Class<?> main, String... args) throws Exception {
		LaunchedApp app = launch(name, main, args);
		app.awaitLine(FixtureSupport.READY, LAUNCH);
		return app;
	}

	/**
	 * How many messages a listener handled, as the application printed when its container
	 * stopped.
	 * @param app the application
	 * @param listenerId the listener
	 * @return the count
	 */
	static long handled(LaunchedApp app, String listenerId) {
		String line = app.line("STOPPED " + listenerId + " handled=");
		return Long.parseLong(line.substring(line.indexOf("handled=") + "handled=".length()).trim());
	}

	/**
	 * The lines of a file an application writes.
	 * @param file the file
	 * @return its lines, none when it does not exist yet
	 */
	static List<String> lines(Path file) throws Exception {
		return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
	}

}
