package io.github.nsqspring.boot.docker.compose;

import java.util.List;

import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.core.connection.NsqAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * {@link DockerComposeConnectionDetailsFactory} that gives {@link NsqConnectionDetails}
 * for a Docker Compose service of the {@code nsqio/nsq} image (or one labelled
 * {@code org.springframework.boot.service-connection: nsqio/nsq}).
 * <p>
 * One image serves nsqd, nsqlookupd and nsqadmin, so services are told apart by the
 * container ports they publish:
 * <ul>
 * <li>a service publishing 4150 runs nsqd: its TCP address, and its HTTP address when it
 * publishes 4151. The application publishes to it and its listeners connect to it
 * directly. When the same service also publishes 4161 (nsqlookupd in the same container),
 * that address is given too and listeners discover nsqd through it, so nsqd must then
 * register a broadcast address and port the host can reach;</li>
 * <li>a service publishing 4161 but not 4150 runs nsqlookupd alone: it gives nothing.
 * nsqlookupd hands out the address nsqd registered inside the Compose network, which the
 * application on the host cannot reach, and a second {@code NsqConnectionDetails} bean
 * would leave the application with two to choose from;</li>
 * <li>any other service of the image (nsqadmin, 4171) gives nothing.</li>
 * </ul>
 *
 * @author nsq-spring
 */
class NsqDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<NsqConnectionDetails> {

	static final int NSQD_TCP_PORT = 4150;

	static final int NSQD_HTTP_PORT = 4151;

	static final int LOOKUPD_HTTP_PORT = 4161;

	private static final Log logger = LogFactory.getLog(NsqDockerComposeConnectionDetailsFactory.class);

	NsqDockerComposeConnectionDetailsFactory() {
		super("nsqio/nsq");
	}

	@Override
	protected @Nullable NsqConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		RunningService service = source.getRunningService();
		Integer nsqd = hostPort(service.ports(), NSQD_TCP_PORT);
		if (nsqd == null) {
			logger.debug("Docker Compose service '" + service.name() + "' (" + service.image()
					+ ") does not publish nsqd's port " + NSQD_TCP_PORT + ": no NSQ connection details from it");
			return null;
		}
		return new NsqDockerComposeConnectionDetails(service, nsqd);
	}

	private static @Nullable Integer hostPort(ConnectionPorts ports, int containerPort) {
		try {
			return ports.get(containerPort);
		}
		catch (IllegalStateException ex) {
			// not published
			return null;
		}
	}

	/**
	 * {@link NsqConnectionDetails} of an nsqd service.
	 */
	static final class NsqDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements NsqConnectionDetails {

		private final List<String> nsqdAddresses;

		private final List<String> nsqdHttpAddresses;

		private final List<String> lookupdAddresses;

		NsqDockerComposeConnectionDetails(RunningService service, int nsqdPort) {
			super(service);
			this.nsqdAddresses = List.of(NsqAddress.join(service.host(), nsqdPort));
			this.nsqdHttpAddresses = addressOf(service, NSQD_HTTP_PORT);
			this.lookupdAddresses = addressOf(service, LOOKUPD_HTTP_PORT);
		}

		private static List<String> addressOf(RunningService service, int containerPort) {
			Integer port = hostPort(service.ports(), containerPort);
			return (port != null) ? List.of(NsqAddress.join(service.host(), port)) : List.of();
		}

		@Override
		public List<String> getNsqdAddresses() {
			return this.nsqdAddresses;
		}

		@Override
		public List<String> getNsqdHttpAddresses() {
			return this.nsqdHttpAddresses;
		}

		@Override
		public List<String> getLookupdAddresses() {
			return this.lookupdAddresses;
		}

		@Override
		public String toString() {
			return "NsqDockerComposeConnectionDetails[nsqd=" + this.nsqdAddresses + ", nsqdHttp="
					+ this.nsqdHttpAddresses + ", lookupd=" + this.lookupdAddresses + "]";
		}

	}

}
