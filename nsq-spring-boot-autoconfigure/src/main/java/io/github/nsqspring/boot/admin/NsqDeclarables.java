package io.github.nsqspring.boot.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.util.Assert;

/**
 * Several {@link NsqDeclarable}s as one bean, for example a topic and its channels:
 *
 * <pre class="code">
 * &#64;Bean
 * NsqDeclarables orders() {
 *     return NsqDeclarables.topicWithChannels("orders", "billing", "audit");
 * }
 * </pre>
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public final class NsqDeclarables {

	private final List<NsqDeclarable> declarables;

	/**
	 * A group.
	 * @param declarables the declarations
	 */
	public NsqDeclarables(NsqDeclarable... declarables) {
		this(List.of(declarables));
	}

	/**
	 * A group.
	 * @param declarables the declarations
	 */
	public NsqDeclarables(Collection<? extends NsqDeclarable> declarables) {
		Assert.notNull(declarables, "'declarables' must not be null");
		Assert.noNullElements(declarables, "'declarables' must not contain null elements");
		this.declarables = List.copyOf(declarables);
	}

	/**
	 * A topic and channels of it.
	 * @param topic a valid, non-ephemeral topic name
	 * @param channels valid, non-ephemeral channel names; none to declare only the topic
	 * @return the group
	 * @throws io.github.nsqspring.core.NsqInvalidNameException when a name is invalid
	 */
	public static NsqDeclarables topicWithChannels(String topic, String... channels) {
		List<NsqDeclarable> declarables = new ArrayList<>();
		declarables.add(new NsqTopic(topic));
		for (String channel : channels) {
			declarables.add(new NsqChannel(topic, channel));
		}
		return new NsqDeclarables(declarables);
	}

	/**
	 * The declarations.
	 * @return an unmodifiable list
	 */
	public List<NsqDeclarable> getDeclarables() {
		return this.declarables;
	}

	@Override
	public String toString() {
		return "NsqDeclarables" + this.declarables;
	}

}
