package io.github.nsqspring.boot.testcontainers;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers {@link GenericContainer} that needs no Docker engine: "starting" it
 * starts nsq-test's in-JVM nsqd (and nsqlookupd, when its command runs one) and its
 * "mapped ports" are theirs. Everything a service connection reads from a container
 * (image name, command, exposed ports, host, mapped ports) behaves as with a real
 * {@code nsqio/nsq} container, so Spring Boot's {@code @ServiceConnection} support runs
 * unchanged.
 */
class EmbeddedNsqContainer extends GenericContainer<EmbeddedNsqContainer> {

	private final String imageName;

	private volatile @Nullable EmbeddedNsqCluster cluster;

	EmbeddedNsqContainer(String imageName) {
		super(DockerImageName.parse(imageName));
		this.imageName = imageName;
	}

	@Override
	public synchronized void start() {
		if (this.cluster == null) {
			boolean lookupd = NsqContainerConnectionDetailsFactory.Addresses.programs(getCommandParts())
				.contains("nsqlookupd");
			this.cluster = EmbeddedNsqCluster.start(1, lookupd);
		}
	}

	@Override
	public synchronized void stop() {
		EmbeddedNsqCluster current = this.cluster;
		this.cluster = null;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.cluster != null;
	}

	@Override
	public String getDockerImageName() {
		return this.imageName;
	}

	@Override
	public String getHost() {
		return "127.0.0.1";
	}

	@Override
	public Integer getMappedPort(int originalPort) {
		EmbeddedNsqCluster current = this.cluster;
		if (current == null) {
			throw new IllegalStateException("Mapped port can only be obtained after the container is started");
		}
		if (!getExposedPorts().contains(originalPort)) {
			throw new IllegalArgumentException("Requested port (" + originalPort + ") is not mapped");
		}
		return switch (originalPort) {
			case 4150 -> current.nsqd(0).tcpPort();
			case 4151 -> current.nsqd(0).httpPort();
			case 4161 -> port(current.lookupdHttpAddress());
			default -> throw new IllegalArgumentException("Requested port (" + originalPort + ") is not mapped");
		};
	}

	EmbeddedNsqCluster cluster() {
		EmbeddedNsqCluster current = this.cluster;
		if (current == null) {
			throw new IllegalStateException("Not started");
		}
		return current;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

}
