package io.github.nsqspring.boot.docker.compose;

import java.util.List;
import java.util.Map;

import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;

/**
 * A {@link RunningService} as Spring Boot describes a service of a running Compose file:
 * its image, host and published ports (container port to host port).
 *
 * @param name the service name
 * @param imageName the image, as written in the Compose file
 * @param host the host its ports are published on
 * @param published container port to host port
 * @param labels the service's labels
 */
record TestRunningService(String name, String imageName, String host, Map<Integer, Integer> published,
		Map<String, String> labels) implements RunningService {

	TestRunningService(String name, String imageName, Map<Integer, Integer> published) {
		this(name, imageName, "127.0.0.1", published, Map.of());
	}

	@Override
	public ImageReference image() {
		return ImageReference.of(this.imageName);
	}

	@Override
	public ConnectionPorts ports() {
		return new ConnectionPorts() {

			@Override
			public int get(int containerPort) {
				Integer hostPort = TestRunningService.this.published.get(containerPort);
				if (hostPort == null) {
					// as Boot's own ports do
					throw new IllegalStateException("No host port mapping found for container port " + containerPort);
				}
				return hostPort;
			}

			@Override
			public List<Integer> getAll() {
				return List.copyOf(TestRunningService.this.published.values());
			}

			@Override
			public List<Integer> getAll(String protocol) {
				return "tcp".equals(protocol) ? getAll() : List.of();
			}

		};
	}

	@Override
	public Map<String, String> env() {
		return Map.of();
	}

}
