package io.github.nsqspring.boot.autoconfigure;

import java.util.List;

/**
 * {@link NsqConnectionDetails} from {@link NsqProperties}. With neither nsqd nor
 * nsqlookupd addresses configured, nsqd is expected at {@value #DEFAULT_NSQD_ADDRESS}.
 *
 * @author nsq-spring
 */
class PropertiesNsqConnectionDetails implements NsqConnectionDetails {

	static final String DEFAULT_NSQD_ADDRESS = "localhost:4150";

	private final NsqProperties properties;

	PropertiesNsqConnectionDetails(NsqProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<String> getNsqdAddresses() {
		List<String> nsqd = this.properties.getNsqd().getAddresses();
		if (nsqd.isEmpty() && this.properties.getLookupd().getAddresses().isEmpty()) {
			return List.of(DEFAULT_NSQD_ADDRESS);
		}
		return List.copyOf(nsqd);
	}

	@Override
	public List<String> getNsqdHttpAddresses() {
		return List.copyOf(this.properties.getNsqd().getHttpAddresses());
	}

	@Override
	public List<String> getLookupdAddresses() {
		return List.copyOf(this.properties.getLookupd().getAddresses());
	}

}
