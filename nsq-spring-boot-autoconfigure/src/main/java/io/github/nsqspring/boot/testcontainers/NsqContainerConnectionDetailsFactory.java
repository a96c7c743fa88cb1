package io.github.nsqspring.boot.testcontainers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.nsqspring.boot.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.core.connection.NsqAddress;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.Container;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@link ContainerConnectionDetailsFactory} that gives {@link NsqConnectionDetails} for a
 * {@code @ServiceConnection} container of the {@code nsqio/nsq} image (or any image, with
 * {@code @ServiceConnection(name = "nsqio/nsq")}).
 * <p>
 * What the container runs is read from its command: {@code nsqd} and {@code nsqlookupd}
 * as programs of the command (for example {@code withCommand("/nsqd")}, or
 * {@code sh -c "/nsqlookupd & /nsqd ..."}); a command that names neither, from its
 * exposed ports (4150 for nsqd, 4161 for nsqlookupd). Then:
 * <ul>
 * <li>nsqd: the TCP address is the container's mapped port 4150, which must be exposed;
 * the HTTP address its mapped port 4151, when exposed;</li>
 * <li>nsqlookupd: the HTTP address is the mapped port 4161, when exposed. Listeners then
 * discover nsqd through nsqlookupd, which hands out the address nsqd registered
 * ({@code --broadcast-address} and its own port 4150): that address must be reachable
 * from the tests, so such a container needs fixed ports and a broadcast address of
 * {@code localhost}. A container that runs nsqd alone needs none of this: listeners
 * connect to it directly.</li>
 * </ul>
 * A container that runs neither, or runs nsqd without exposing 4150, fails on first use
 * with a message naming the container, its command and its exposed ports.
 *
 * @author nsq-spring
 */
class NsqContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<Container<?>, NsqConnectionDetails> {

	static final int NSQD_TCP_PORT = 4150;

	static final int NSQD_HTTP_PORT = 4151;

	static final int LOOKUPD_HTTP_PORT = 4161;

	NsqContainerConnectionDetailsFactory() {
		super("nsqio/nsq");
	}

	@Override
	protected NsqConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
		return new NsqContainerConnectionDetails(source);
	}

	/**
	 * {@link NsqConnectionDetails} read from the container once it runs.
	 */
	static final class NsqContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
			implements NsqConnectionDetails {

		private volatile @Nullable Addresses addresses;

		NsqContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
			super(source);
		}

		@Override
		public List<String> getNsqdAddresses() {
			return addresses().nsqd();
		}

		@Override
		public List<String> getNsqdHttpAddresses() {
			return addresses().nsqdHttp();
		}

		@Override
		public List<String> getLookupdAddresses() {
			return addresses().lookupd();
		}

		private Addresses addresses() {
			Addresses current = this.addresses;
			if (current == null) {
				// getContainer() starts the container when needed; its ports are fixed
				// from then on
				current = Addresses.of(getContainer());
				this.addresses = current;
			}
			return current;
		}

		@Override
		public String toString() {
			Addresses current = this.addresses;
			return "NsqContainerConnectionDetails[" + ((current != null) ? current : getOrigin()) + "]";
		}

	}

	/**
	 * The addresses of what a container runs, as the host sees them.
	 *
	 * @param nsqd nsqd TCP addresses
	 * @param nsqdHttp nsqd HTTP addresses
	 * @param lookupd nsqlookupd HTTP addresses
	 */
	record Addresses(List<String> nsqd, List<String> nsqdHttp, List<String> lookupd) {

		static Addresses of(Container<?> container) {
			Set<String> programs = programs(container.getCommandParts());
			List<Integer> exposed = container.getExposedPorts();
			boolean named = programs.contains("nsqd") || programs.contains("nsqlookupd");
			boolean nsqd = named ? programs.contains("nsqd") : exposed.contains(NSQD_TCP_PORT);
			boolean lookupd = named ? programs.contains("nsqlookupd") : exposed.contains(LOOKUPD_HTTP_PORT);
			if (nsqd && !exposed.contains(NSQD_TCP_PORT)) {
				throw new IllegalStateException(describe(container) + " runs nsqd but does not expose its TCP port "
						+ NSQD_TCP_PORT + ": add withExposedPorts(" + NSQD_TCP_PORT + ", " + NSQD_HTTP_PORT + ")");
			}
			if (!nsqd && !(lookupd && exposed.contains(LOOKUPD_HTTP_PORT))) {
				throw new IllegalStateException(
						describe(container) + " gives no NSQ address: it must run nsqd (exposing " + NSQD_TCP_PORT
								+ ", and " + NSQD_HTTP_PORT + " for HTTP) or nsqlookupd (exposing " + LOOKUPD_HTTP_PORT
								+ "), for example withCommand(\"/nsqd\").withExposedPorts(" + NSQD_TCP_PORT + ", "
								+ NSQD_HTTP_PORT + ")");
			}
			return new Addresses(nsqd ? address(container, NSQD_TCP_PORT) : List.of(),
					(nsqd && exposed.contains(NSQD_HTTP_PORT)) ? address(container, NSQD_HTTP_PORT) : List.of(),
					(lookupd && exposed.contains(LOOKUPD_HTTP_PORT)) ? address(container, LOOKUPD_HTTP_PORT)
							: List.of());
		}

		/**
		 * The program names in a command: the last path segment of each word that is not
		 * an option, words split at white space and shell operators, so
		 * {@code sh -c "/nsqlookupd & exec /nsqd --data-path=/data"} names
		 * {@code nsqlookupd} and {@code nsqd}.
		 */
		static Set<String> programs(String[] commandParts) {
			return Arrays.stream(commandParts)
				.flatMap((part) -> Arrays.stream(part.split("[\\s;&|()'\"]+")))
				.filter((word) -> !word.startsWith("-") && !word.contains("="))
				.map((word) -> word.substring(word.lastIndexOf('/') + 1))
				.filter((word) -> !word.isEmpty())
				.collect(Collectors.toSet());
		}

		private static List<String> address(Container<?> container, int port) {
			return List.of(NsqAddress.join(container.getHost(), container.getMappedPort(port)));
		}

		private static String describe(Container<?> container) {
			List<String> command = new ArrayList<>(Arrays.asList(container.getCommandParts()));
			return "Container " + container.getDockerImageName() + " (command " + command + ", exposed ports "
					+ container.getExposedPorts() + ")";
		}

	}

}
