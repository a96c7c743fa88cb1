package io.github.nsqspring.boot.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.nsqspring.core.config.NsqConfig;
import io.github.nsqspring.core.consumer.NsqConsumer;
import io.github.nsqspring.core.consumer.NsqConsumerBuilder;

import org.springframework.util.Assert;

/**
 * Builds consumers that discover nsqd through nsqlookupd when lookupd addresses are
 * given, else connect to the given nsqd directly. Not both: nsqlookupd lists the same
 * nsqd, and a consumer connected twice to one nsqd would receive from it twice.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class DefaultNsqConsumerFactory implements NsqConsumerFactory {

	private final NsqConfig config;

	private final List<String> nsqdAddresses;

	private final List<String> lookupdAddresses;

	private final List<NsqConsumerBuilderCustomizer> customizers = new ArrayList<>();

	/**
	 * Create a factory.
	 * @param config the base configuration
	 * @param nsqdAddresses nsqd TCP addresses, used when no lookupd address is given
	 * @param lookupdAddresses nsqlookupd HTTP addresses
	 */
	public DefaultNsqConsumerFactory(NsqConfig config, List<String> nsqdAddresses, List<String> lookupdAddresses) {
		Assert.notNull(config, "'config' must not be null");
		Assert.isTrue(!nsqdAddresses.isEmpty() || !lookupdAddresses.isEmpty(),
				"At least one nsqd or nsqlookupd address is required");
		this.config = config;
		this.nsqdAddresses = List.copyOf(nsqdAddresses);
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
	}

	/**
	 * Add customizers applied to every consumer, in order.
	 * @param customizers the customizers
	 */
	public void addCustomizers(List<NsqConsumerBuilderCustomizer> customizers) {
		this.customizers.addAll(customizers);
	}

	@Override
	public NsqConfig getConfig() {
		return this.config;
	}

	/**
	 * The nsqd addresses.
	 * @return the addresses
	 */
	public List<String> getNsqdAddresses() {
		return this.nsqdAddresses;
	}

	/**
	 * The nsqlookupd addresses.
	 * @return the addresses
	 */
	public List<String> getLookupdAddresses() {
		return this.lookupdAddresses;
	}

	@Override
	public NsqConsumer createConsumer(String topic, String channel, NsqConfig config,
			Consumer<NsqConsumerBuilder> customizer) {
		NsqConsumerBuilder builder = NsqConsumer.builder(topic, channel).config(config);
		if (!this.lookupdAddresses.isEmpty()) {
			builder.lookupd(this.lookupdAddresses);
		}
		else {
			builder.nsqd(this.nsqdAddresses);
		}
		this.customizers.forEach((c) -> c.customize(builder));
		customizer.accept(builder);
		return builder.build();
	}

}
