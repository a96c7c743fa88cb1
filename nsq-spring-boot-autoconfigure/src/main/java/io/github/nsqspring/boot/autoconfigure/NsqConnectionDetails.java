package io.github.nsqspring.boot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where NSQ runs. The auto-configuration reads addresses only from this bean: by default
 * it comes from {@code nsq.*} properties; a bean of this type replaces them (for example
 * one pointing at an embedded or containerised nsqd in tests).
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public interface NsqConnectionDetails extends ConnectionDetails {

	/**
	 * nsqd TCP addresses ({@code host:port}): where the producer publishes and, when no
	 * nsqlookupd address is given, where listeners connect.
	 * @return the addresses, possibly empty when nsqlookupd addresses are given
	 */
	List<String> getNsqdAddresses();

	/**
	 * nsqd HTTP addresses ({@code host:port}).
	 * @return the addresses, possibly empty
	 */
	default List<String> getNsqdHttpAddresses() {
		return List.of();
	}

	/**
	 * nsqlookupd HTTP addresses ({@code host:port} or URLs): how listeners discover the
	 * nsqd that hold their topic.
	 * @return the addresses, possibly empty
	 */
	List<String> getLookupdAddresses();

}
