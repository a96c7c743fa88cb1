package io.github.nsqspring.boot.admin;

import io.github.nsqspring.core.protocol.NsqNames;

/**
 * A topic to create on every nsqd. A topic without channels keeps its messages until the
 * first channel appears, which then receives all of them; to have several channels each
 * receive every message from the first one on, declare the channels ({@link NsqChannel})
 * instead, or as well.
 *
 * <pre class="code">
 * &#64;Bean
 * NsqTopic ordersTopic() {
 *     return new NsqTopic("orders");
 * }
 * </pre>
 *
 * @param name a valid, non-ephemeral topic name
 * @author nsq-spring
 * @since 0.1.0
 */
public record NsqTopic(String name) implements NsqDeclarable {

	/**
	 * Check the name.
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when the name is invalid
	 * @throws IllegalArgumentException when the name is ephemeral: nsqd deletes ephemeral
	 * topics once they are unused, so declaring one has no lasting effect
	 */
	public NsqTopic {
		NsqNames.requireValidTopic(name);
		if (NsqNames.isEphemeral(name)) {
			throw new IllegalArgumentException("Ephemeral topic \"" + name
					+ "\" cannot be declared: nsqd deletes it once unused; declare a durable topic");
		}
	}

	@Override
	public String topic() {
		return this.name;
	}

	@Override
	public String toString() {
		return "topic " + this.name;
	}

}
