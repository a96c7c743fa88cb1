package org.springframework.boot.docker.compose.service.connection;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.core.env.Environment;

/**
 * Test support: creates the {@link DockerComposeConnectionSource} that Spring Boot hands
 * to connection details factories for a running service. Its constructor is
 * package-private, and this machine has no Docker engine to run Compose for real, so the
 * NSQ factory's tests build their sources here, in Boot's package.
 */
public final class DockerComposeConnectionSources {

	private DockerComposeConnectionSources() {
	}

	/**
	 * The source for a running service.
	 * @param service the service
	 * @param environment the application's environment
	 * @return the source
	 */
	public static DockerComposeConnectionSource of(RunningService service, Environment environment) {
		return new DockerComposeConnectionSource(service, environment);
	}

}
