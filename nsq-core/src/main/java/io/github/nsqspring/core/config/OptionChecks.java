package io.github.nsqspring.core.config;

import java.time.Duration;

import io.github.nsqspring.core.NsqConfigException;

/**
 * The checks the sections' builders run, with go-nsq's option names in one message
 * format: {@code invalid value for <option>: <value> (allowed: <range>)}. Durations are
 * shown the way Go prints them ({@code 999ms}), as users write them.
 */
final class OptionChecks {

	private OptionChecks() {
	}

	static void required(String option, Object value) {
		if (value == null) {
			throw new NsqConfigException("invalid value for " + option + ": null (a value is required)");
		}
	}

	static void positive(String option, Duration value) {
		required(option, value);
		if (value.isNegative() || value.isZero()) {
			throw outOfRange(option, value, "more than 0");
		}
	}

	static void range(String option, Duration value, Duration min, Duration max) {
		range(option, value, min, max, GoDurations.format(min) + " to " + GoDurations.format(max));
	}

	static void range(String option, Duration value, Duration min, Duration max, String allowed) {
		required(option, value);
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw outOfRange(option, value, allowed);
		}
	}

	static void range(String option, int value, int min, int max) {
		if (value < min || value > max) {
			throw outOfRange(option, value, min + " to " + max);
		}
	}

	static NsqConfigException outOfRange(String option, Object value, String allowed) {
		String shown = (value instanceof Duration duration) ? GoDurations.format(duration) : String.valueOf(value);
		return new NsqConfigException("invalid value for " + option + ": " + shown + " (allowed: " + allowed + ")");
	}

}
