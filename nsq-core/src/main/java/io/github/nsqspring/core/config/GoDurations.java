package io.github.nsqspring.core.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import io.github.nsqspring.core.NsqConfigException;

/**
 * Reads durations the way go-nsq's {@code Config.Set} accepts them: Go duration strings
 * ({@code "1500ms"}, {@code "1m30s"}, {@code "-1ns"}), plain integers meaning
 * milliseconds, ISO-8601 ({@code "PT1S"}) and {@link Duration} values.
 */
final class GoDurations {

	private GoDurations() {
	}

	static Duration coerce(String option, Object value) {
		if (value instanceof Duration duration) {
			return duration;
		}
		if (value instanceof Integer || value instanceof Long || value instanceof Short) {
			return Duration.ofMillis(((Number) value).longValue());
		}
		if (value instanceof String text) {
			String trimmed = text.trim();
			try {
				if (trimmed.matches("-?\\d+")) {
					return Duration.ofMillis(Long.parseLong(trimmed));
				}
				if (trimmed.startsWith("P") || trimmed.startsWith("-P")) {
					return Duration.parse(trimmed);
				}
				return parseGo(trimmed);
			}
			catch (NumberFormatException | DateTimeParseException | ArithmeticException ex) {
				throw invalid(option, value);
			}
		}
		throw invalid(option, value);
	}

	private static Duration parseGo(String text) {
		if (text.isEmpty()) {
			throw new NumberFormatException("empty");
		}
		int pos = 0;
		boolean negative = false;
		if (text.charAt(0) == '-' || text.charAt(0) == '+') {
			negative = text.charAt(0) == '-';
			pos++;
		}
		if (text.substring(pos).equals("0")) {
			return Duration.ZERO;
		}
		BigDecimal nanos = BigDecimal.ZERO;
		boolean any = false;
		while (pos < text.length()) {
			int start = pos;
			while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
				pos++;
			}
			if (start == pos) {
				throw new NumberFormatException(text);
			}
			BigDecimal number = new BigDecimal(text.substring(start, pos));
			int unitStart = pos;
			while (pos < text.length() && !Character.isDigit(text.charAt(pos)) && text.charAt(pos) != '.') {
				pos++;
			}
			long unitNanos = switch (text.substring(unitStart, pos)) {
				case "ns" -> 1L;
				case "us", "µs", "μs" -> 1_000L;
				case "ms" -> 1_000_000L;
				case "s" -> 1_000_000_000L;
				case "m" -> 60_000_000_000L;
				case "h" -> 3_600_000_000_000L;
				default -> throw new NumberFormatException(text);
			};
			nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
			any = true;
		}
		if (!any) {
			throw new NumberFormatException(text);
		}
		// like Go, fractions of a nanosecond are dropped
		long total = nanos.setScale(0, RoundingMode.DOWN).longValueExact();
		return Duration.ofNanos(negative ? -total : total);
	}

	static NsqConfigException invalid(String option, Object value) {
		return new NsqConfigException("invalid value for " + option + ": \"" + value
				+ "\" is not a duration (use e.g. \"1500ms\", \"1m30s\", \"PT1S\" or milliseconds)");
	}

	/**
	 * Format a duration the way Go prints one ({@code 999ms}, {@code 1m30s},
	 * {@code 1h0m0s}), so that messages read like the go-nsq values users write.
	 */
	static String format(Duration duration) {
		if (duration.isNegative()) {
			return "-" + format(duration.negated());
		}
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
		if (nanos == 0) {
			return "0s";
		}
		if (nanos < 1_000L) {
			return nanos + "ns";
		}
		if (nanos < 1_000_000L) {
			return decimal(nanos, 1_000L) + "µs";
		}
		if (nanos < 1_000_000_000L) {
			return decimal(nanos, 1_000_000L) + "ms";
		}
		long hours = nanos / 3_600_000_000_000L;
		long minutes = (nanos / 60_000_000_000L) % 60;
		String seconds = decimal(nanos % 60_000_000_000L, 1_000_000_000L) + "s";
		if (hours > 0) {
			return hours + "h" + minutes + "m" + seconds;
		}
		return (minutes > 0) ? minutes + "m" + seconds : seconds;
	}

	private static String decimal(long value, long unit) {
		BigDecimal result = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
		return result.toPlainString();
	}

}
