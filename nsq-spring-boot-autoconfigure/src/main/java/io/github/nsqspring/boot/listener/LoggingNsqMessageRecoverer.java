package io.github.nsqspring.boot.listener;

import io.github.nsqspring.core.consumer.NsqMessage;

import org.springframework.core.log.LogAccessor;

/**
 * The default recoverer: logs the message (id, attempts, topic, channel, body size) and
 * the cause at error level, then lets the container finish it. The body itself is not
 * logged: it may hold personal data.
 *
 * @author nsq-spring
 * @since 0.1.0
 */
public class LoggingNsqMessageRecoverer implements NsqMessageRecoverer {

	private static final LogAccessor logger = new LogAccessor(LoggingNsqMessageRecoverer.class);

	@Override
	public void recover(NsqMessage message, String topic, String channel, Throwable cause) {
		logger.error(cause,
				() -> "Giving up on message " + message.idText() + " from " + topic + "/" + channel + " after "
						+ message.attempts() + " attempt(s) (" + message.body().length + " bytes): "
						+ cause.getMessage());
	}

}
