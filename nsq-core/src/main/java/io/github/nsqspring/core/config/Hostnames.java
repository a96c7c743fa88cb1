package io.github.nsqspring.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local host name, read once: go-nsq defaults {@code hostname} to it and
 * {@code client_id} to its first label.
 */
final class Hostnames {

	static final String FULL = lookup();

	static final String SHORT = FULL.contains(".") ? FULL.substring(0, FULL.indexOf('.')) : FULL;

	private Hostnames() {
	}

	private static String lookup() {
		String name = System.getenv("HOSTNAME");
		if (name == null || name.isBlank()) {
			try {
				name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
			}
			catch (IOException | RuntimeException ex) {
				name = null;
			}
		}
		if (name == null || name.isBlank()) {
			try {
				name = InetAddress.getLocalHost().getHostName();
			}
			catch (IOException ex) {
				name = "localhost";
			}
		}
		return name;
	}

}
