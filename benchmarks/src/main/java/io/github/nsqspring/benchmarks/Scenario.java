package io.github.nsqspring.benchmarks;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The scenarios the harness runs, by their command-line name.
 */
public enum Scenario {

	/** {@code --threads} threads publish synchronously through one shared producer. */
	PUB_SYNC("pub-sync", 100_000),

	/**
	 * One thread publishes asynchronously with at most {@code --outstanding} unanswered.
	 */
	PUB_ASYNC("pub-async", 1_000_000),

	/**
	 * PUBs on a bare socket, no client library, at most {@code --outstanding} unanswered:
	 * the limit of the wire, nsqd and this machine for that many unanswered PUBs on one
	 * connection (client {@code bare-socket} only).
	 */
	PUB_WIRE("pub-wire", 100_000),

	/** {@code --threads} threads publish batches of {@code --batch} messages (MPUB). */
	MPUB("mpub", 2_000_000),

	/** Consume a pre-filled topic with a no-op handler. */
	CONSUME("consume", 1_000_000),

	/** Publish at a fixed {@code --rate}, measure publish → handler latency. */
	LATENCY("latency", 10_000),

	/** {@link #CONSUME} through a Spring Boot application and an {@code @NsqListener}. */
	SPRING_CONSUME("spring-consume", 1_000_000),

	/**
	 * {@link #PUB_SYNC} through the auto-configured {@code NsqTemplate.send} of a Spring
	 * Boot application.
	 */
	TEMPLATE_SEND("template-send", 100_000),

	/**
	 * {@link #PUB_ASYNC} through the auto-configured {@code NsqTemplate.sendAsync} of a
	 * Spring Boot application.
	 */
	TEMPLATE_SEND_ASYNC("template-send-async", 1_000_000);

	private final String cliName;

	private final long defaultMessages;

	Scenario(String cliName, long defaultMessages) {
		this.cliName = cliName;
		this.defaultMessages = defaultMessages;
	}

	/**
	 * The name used on the command line and in result lines.
	 * @return the name
	 */
	public String cliName() {
		return this.cliName;
	}

	/**
	 * Messages a run uses when {@code --messages} is not given.
	 * @return the default count
	 */
	public long defaultMessages() {
		return this.defaultMessages;
	}

	/**
	 * Whether the scenario publishes (its counts are checked on the topic) rather than
	 * consumes a pre-filled topic.
	 * @return true for the publish scenarios
	 */
	public boolean isPublish() {
		return this == PUB_SYNC || this == PUB_ASYNC || this == PUB_WIRE || this == MPUB || this == TEMPLATE_SEND
				|| this == TEMPLATE_SEND_ASYNC;
	}

	/**
	 * Whether the scenario runs through nsq-spring's Spring layer, which only nsq-spring
	 * has.
	 * @return true for spring-consume and the template scenarios
	 */
	public boolean isSpringLayer() {
		return this == SPRING_CONSUME || this == TEMPLATE_SEND || this == TEMPLATE_SEND_ASYNC;
	}

	/**
	 * Find a scenario by its command-line name.
	 * @param name the name
	 * @return the scenario
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static Scenario fromCliName(String name) {
		for (Scenario scenario : values()) {
			if (scenario.cliName.equals(name)) {
				return scenario;
			}
		}
		throw new IllegalArgumentException("unknown scenario '" + name + "', expected one of " + names());
	}

	/**
	 * All command-line names.
	 * @return names separated by {@code |}
	 */
	public static String names() {
		return Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining("|"));
	}

}
