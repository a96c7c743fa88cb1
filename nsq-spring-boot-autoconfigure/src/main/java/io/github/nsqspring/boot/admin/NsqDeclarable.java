package io.github.nsqspring.boot.admin;

/**
 * Something the application needs to exist on nsqd: an {@link NsqTopic} or an
 * {@link NsqChannel}. Declare them as beans (alone or grouped in {@link NsqDeclarables})
 * and they are created on every nsqd the application knows when it starts; or pass them
 * to {@link NsqAdmin#declare(java.util.Collection)}.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public sealed interface NsqDeclarable permits NsqTopic, NsqChannel {

	/**
	 * The topic this declaration creates (a channel's topic is created with it).
	 * @return the topic name
	 */
	String topic();

}
