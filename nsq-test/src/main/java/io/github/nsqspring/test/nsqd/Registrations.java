package io.github.nsqspring.test.nsqd;

/**
 * Receives topic and channel lifecycle events so that they can be sent to nsqlookupd as
 * REGISTER / UNREGISTER.
 */
interface Registrations {

	Registrations NONE = new Registrations() {
	};

	default void topicCreated(String topic) {
	}

	default void topicDeleted(String topic) {
	}

	default void channelCreated(String topic, String channel) {
	}

	default void channelDeleted(String topic, String channel) {
	}

}
