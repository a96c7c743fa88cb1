package io.github.nsqspring.apptests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consumer's summary of a stop, as its INFO line says it: {@code Consumer <topic>/
 * <channel> stopped in <n> ms: <n> message(s) finished and <n> requeued during the
 * stop}.
 *
 * @param millis how long the stop took
 * @param finished messages finished during the stop
 * @param requeued messages requeued during the stop
 * @author nsq-spring
 */
record StopSummary(long millis, long finished, long requeued) {

	private static final Pattern LINE = Pattern
		.compile("stopped in (\\d+) ms: (\\d+) message\\(s\\) finished and (\\d+) requeued during the stop");

	/**
	 * Read the summary a consumer of a topic and channel logged.
	 * @param app the application
	 * @param topic the topic
	 * @param channel the channel
	 * @return the summary
	 * @throws AssertionError when the application logged none
	 */
	static StopSummary of(LaunchedApp app, String topic, String channel) {
		String line = app.line("Consumer " + topic + "/" + channel + " stopped in ");
		Matcher matcher = LINE.matcher(line);
		if (!matcher.find()) {
			throw new AssertionError("not a stop summary: " + line);
		}
		return new StopSummary(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)));
	}

}
