package io.github.nsqspring.benchmarks;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The clients the harness can drive, by their command-line name.
 */
public enum ClientKind {

	/** This project's nsq-core (and, for spring-consume, its Spring Boot starter). */
	NSQ_SPRING("nsq-spring"),

	/** com.sproutsocial:nsq-j. */
	NSQ_J("nsq-j"),

	/** com.github.brainlag:nsq-client (JavaNSQClient). */
	JAVANSQCLIENT("javansqclient"),

	/**
	 * No client library: PUBs written on a bare socket by the harness itself, for the
	 * {@code pub-wire} scenario only.
	 */
	BARE_SOCKET("bare-socket");

	private final String cliName;

	ClientKind(String cliName) {
		this.cliName = cliName;
	}

	/**
	 * The name used on the command line and in result lines.
	 * @return the name
	 */
	public String cliName() {
		return this.cliName;
	}

	/**
	 * Find a client by its command-line name.
	 * @param name the name
	 * @return the client kind
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static ClientKind fromCliName(String name) {
		for (ClientKind kind : values()) {
			if (kind.cliName.equals(name)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown client '" + name + "', expected one of " + names());
	}

	/**
	 * All command-line names.
	 * @return names separated by {@code |}
	 */
	public static String names() {
		return Arrays.stream(values()).map(ClientKind::cliName).collect(Collectors.joining("|"));
	}

}
