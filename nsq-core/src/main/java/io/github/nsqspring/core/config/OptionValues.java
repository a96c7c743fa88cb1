package io.github.nsqspring.core.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

import io.github.nsqspring.core.NsqConfigException;

/**
 * Converts the values given to {@link NsqConfig.Builder#set(String, Object)} the way
 * go-nsq's {@code Config.Set} coerces them: strings, numbers and typed values alike. A
 * value that cannot be converted fails with a message naming the option and the value.
 */
final class OptionValues {

	private OptionValues() {
	}

	static Duration duration(String option, Object value) {
		return GoDurations.coerce(option, value);
	}

	static int integer(String option, Object value) {
		if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return ((Number) value).intValue();
		}
		if (value instanceof Long longValue && longValue == longValue.intValue()) {
			return longValue.intValue();
		}
		if (value instanceof String text) {
			try {
				return Integer.parseInt(text.trim());
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not an integer");
	}

	static double decimal(String option, Object value) {
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		if (value instanceof String text) {
			try {
				return Double.parseDouble(text.trim());
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not a number");
	}

	static boolean bool(String option, Object value) {
		if (value instanceof Boolean bool) {
			return bool;
		}
		String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
		return switch (text) {
			case "true", "1" -> true;
			case "false", "0" -> false;
			default -> throw new NsqConfigException(
					"invalid value for " + option + ": \"" + value + "\" is not a boolean (true, false, 1, 0)");
		};
	}

	static String string(String option, Object value) {
		if (value == null) {
			throw new NsqConfigException("invalid value for " + option + ": null (a value is required)");
		}
		return value.toString();
	}

	static InetSocketAddress socketAddress(String option, Object value) {
		if (value instanceof InetSocketAddress address) {
			return address;
		}
		String text = string(option, value).trim();
		int colon = text.lastIndexOf(':');
		try {
			if (colon < 0) {
				return new InetSocketAddress(text, 0);
			}
			String host = text.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
		}
		catch (IllegalArgumentException ex) {
			throw new NsqConfigException("invalid value for " + option + ": \"" + value + "\" is not host[:port]");
		}
	}

	static BackoffStrategy backoffStrategy(String option, Object value) {
		return (value instanceof BackoffStrategy strategy) ? strategy : BackoffStrategy.forName(string(option, value));
	}

}
