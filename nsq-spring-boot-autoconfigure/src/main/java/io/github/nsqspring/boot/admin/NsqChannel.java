package io.github.nsqspring.boot.admin;

import io.github.nsqspring.core.protocol.NsqNames;

/**
 * A channel (and its topic) to create on every nsqd. nsqd gives a message only to the
 * channels that exist when it is published: a channel declared at startup receives every
 * message published after that, even before its first consumer connects.
 *
 * <pre class="code">
 * &#64;Bean
 * NsqChannel billingChannel() {
 *     return new NsqChannel("orders", "billing");
 * }
 * </pre>
 *
 * @param topic a valid, non-ephemeral topic name
 * @param name a valid, non-ephemeral channel name
 * @author nsq-spring
 * @since 0.1.0
 */
public record NsqChannel(String topic, String name) implements NsqDeclarable {

	/**
	 * Check the names.
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when a name is invalid
	 * @throws IllegalArgumentException when a name is ephemeral: nsqd deletes an
	 * ephemeral channel when its last consumer leaves (and never creates one for nobody),
	 * so it is never declared
	 */
	public NsqChannel {
		NsqNames.requireValidTopic(topic);
		NsqNames.requireValidChannel(name);
		if (NsqNames.isEphemeral(topic) || NsqNames.isEphemeral(name)) {
			throw new IllegalArgumentException("Ephemeral channel \"" + topic + "/" + name
					+ "\" cannot be declared: nsqd deletes it when its last consumer leaves");
		}
	}

	@Override
	public String toString() {
		return "channel " + this.topic + "/" + this.name;
	}

}
