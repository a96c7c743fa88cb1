package io.github.nsqspring.core.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the few documents NSQ exchanges (IDENTIFY and AUTH
 * answers, nsqlookupd and nsqd HTTP answers). It keeps nsq-core free of a JSON library.
 * <p>
 * Values map to: object → {@code Map<String, Object>} (insertion ordered), array →
 * {@code List<Object>}, string → {@code String}, integral number → {@code Long}, other
 * number → {@code Double}, {@code true}/{@code false} → {@code Boolean}, {@code null} →
 * {@code null}.
 */
public final class Json {

	/** Most objects and arrays nested in one another. */
	private static final int MAX_DEPTH = 64;

	private final String text;

	private int pos;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Parse a complete JSON document.
	 * @param text the document
	 * @return the value
	 * @throws JsonParseException when the text is not a single valid JSON value
	 */
	public static Object parse(String text) {
		Json parser = new Json(text);
		parser.skipWhitespace();
		Object value = parser.readValue(0);
		parser.skipWhitespace();
		if (parser.pos != text.length()) {
			throw new JsonParseException("unexpected trailing content", parser.pos);
		}
		return value;
	}

	/**
	 * Parse UTF-8 bytes holding a JSON document.
	 * @param utf8 the bytes
	 * @return the value
	 * @throws JsonParseException when the bytes are not a single valid JSON value
	 */
	public static Object parse(byte[] utf8) {
		return parse(new String(utf8, StandardCharsets.UTF_8));
	}

	/**
	 * Parse a JSON document that must be an object.
	 * @param text the document
	 * @return the object's members
	 * @throws JsonParseException when the text is not a JSON object
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> parseObject(String text) {
		Object value = parse(text);
		if (!(value instanceof Map)) {
			throw new JsonParseException("expected a JSON object", 0);
		}
		return (Map<String, Object>) value;
	}

	/**
	 * Parse UTF-8 bytes holding a JSON object.
	 * @param utf8 the bytes
	 * @return the object's members
	 * @throws JsonParseException when the bytes are not a JSON object
	 */
	public static Map<String, Object> parseObject(byte[] utf8) {
		return parseObject(new String(utf8, StandardCharsets.UTF_8));
	}

	/**
	 * Write a value as compact JSON. Supports maps with string keys, collections, arrays
	 * of objects, strings, numbers, booleans and {@code null}.
	 * @param value the value
	 * @return the JSON text
	 * @throws IllegalArgumentException for a value of another type
	 */
	public static String write(Object value) {
		StringBuilder out = new StringBuilder(64);
		writeValue(out, value);
		return out.toString();
	}

	/**
	 * A member of an object as a {@code long}.
	 * @param object the object
	 * @param key the member name
	 * @param fallback the value when the member is absent or not a number
	 * @return the value
	 */
	public static long getLong(Map<String, Object> object, String key, long fallback) {
		Object value = object.get(key);
		return (value instanceof Number number) ? number.longValue() : fallback;
	}

	/**
	 * A member of an object as a {@code boolean}.
	 * @param object the object
	 * @param key the member name
	 * @param fallback the value when the member is absent or not a boolean
	 * @return the value
	 */
	public static boolean getBoolean(Map<String, Object> object, String key, boolean fallback) {
		Object value = object.get(key);
		return (value instanceof Boolean bool) ? bool : fallback;
	}

	/**
	 * A member of an object as a string.
	 * @param object the object
	 * @param key the member name
	 * @param fallback the value when the member is absent or not a string
	 * @return the value
	 */
	public static String getString(Map<String, Object> object, String key, String fallback) {
		Object value = object.get(key);
		return (value instanceof String string) ? string : fallback;
	}

	private Object readValue(int depth) {
		if (this.pos >= this.text.length()) {
			throw new JsonParseException("unexpected end of input", this.pos);
		}
		char c = this.text.charAt(this.pos);
		if ((c == '{' || c == '[') && depth >= MAX_DEPTH) {
			throw new JsonParseException("nesting deeper than " + MAX_DEPTH, this.pos);
		}
		switch (c) {
			case '{':
				return readObject(depth);
			case '[':
				return readArray(depth);
			case '"':
				return readString();
			case 't':
				expectWord("true");
				return Boolean.TRUE;
			case 'f':
				expectWord("false");
				return Boolean.FALSE;
			case 'n':
				expectWord("null");
				return null;
			default:
				if (c == '-' || (c >= '0' && c <= '9')) {
					return readNumber();
				}
				throw new JsonParseException("unexpected character '" + c + "'", this.pos);
		}
	}

	private Map<String, Object> readObject(int depth) {
		Map<String, Object> members = new LinkedHashMap<>();
		this.pos++;
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return members;
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw new JsonParseException("expected a member name", this.pos);
			}
			String key = readString();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			members.put(key, readValue(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == '}') {
				return members;
			}
			if (c != ',') {
				throw new JsonParseException("expected ',' or '}'", this.pos - 1);
			}
		}
	}

	private List<Object> readArray(int depth) {
		List<Object> items = new ArrayList<>();
		this.pos++;
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return items;
		}
		while (true) {
			skipWhitespace();
			items.add(readValue(depth + 1));
			skipWhitespace();
			char c = next();
			if (c == ']') {
				return items;
			}
			if (c != ',') {
				throw new JsonParseException("expected ',' or ']'", this.pos - 1);
			}
		}
	}

	private String readString() {
		this.pos++;
		StringBuilder out = null;
		int start = this.pos;
		while (true) {
			if (this.pos >= this.text.length()) {
				throw new JsonParseException("unterminated string", start - 1);
			}
			char c = this.text.charAt(this.pos++);
			if (c == '"') {
				return (out == null) ? this.text.substring(start, this.pos - 1) : out.toString();
			}
			if (c < 0x20) {
				throw new JsonParseException("control character in string", this.pos - 1);
			}
			if (c == '\\') {
				if (out == null) {
					out = new StringBuilder(this.text.substring(start, this.pos - 1));
				}
				out.append(readEscape());
			}
			else if (out != null) {
				out.append(c);
			}
		}
	}

	private char readEscape() {
		char c = next();
		switch (c) {
			case '"':
			case '\\':
			case '/':
				return c;
			case 'b':
				return '\b';
			case 'f':
				return '\f';
			case 'n':
				return '\n';
			case 'r':
				return '\r';
			case 't':
				return '\t';
			case 'u':
				if (this.pos + 4 > this.text.length()) {
					throw new JsonParseException("truncated \\u escape", this.pos);
				}
				int decoded = 0;
				for (int i = 0; i < 4; i++) {
					int digit = hexDigit(this.text.charAt(this.pos + i));
					if (digit < 0) {
						throw new JsonParseException("invalid \\u escape", this.pos);
					}
					decoded = (decoded << 4) | digit;
				}
				this.pos += 4;
				return (char) decoded;
			default:
				throw new JsonParseException("invalid escape '\\" + c + "'", this.pos - 1);
		}
	}

	private Number readNumber() {
		int start = this.pos;
		if (peek() == '-') {
			this.pos++;
		}
		int digitsStart = this.pos;
		skipDigits();
		if (this.pos == digitsStart) {
			throw new JsonParseException("expected digits", this.pos);
		}
		if (this.text.charAt(digitsStart) == '0' && this.pos - digitsStart > 1) {
			throw new JsonParseException("leading zero in number", start);
		}
		boolean integral = true;
		if (this.pos < this.text.length() && this.text.charAt(this.pos) == '.') {
			integral = false;
			this.pos++;
			int fractionStart = this.pos;
			skipDigits();
			if (this.pos == fractionStart) {
				throw new JsonParseException("expected digits after '.'", this.pos);
			}
		}
		if (this.pos < this.text.length() && (this.text.charAt(this.pos) == 'e' || this.text.charAt(this.pos) == 'E')) {
			integral = false;
			this.pos++;
			if (this.pos < this.text.length()
					&& (this.text.charAt(this.pos) == '+' || this.text.charAt(this.pos) == '-')) {
				this.pos++;
			}
			int exponentStart = this.pos;
			skipDigits();
			if (this.pos == exponentStart) {
				throw new JsonParseException("expected exponent digits", this.pos);
			}
		}
		String number = this.text.substring(start, this.pos);
		if (integral) {
			try {
				return Long.parseLong(number);
			}
			catch (NumberFormatException ex) {
				// too large for a long: fall through to double
			}
		}
		return Double.parseDouble(number);
	}

	/** Skip ASCII digits only: {@link Character#isDigit} also accepts other scripts. */
	private void skipDigits() {
		while (this.pos < this.text.length() && this.text.charAt(this.pos) >= '0'
				&& this.text.charAt(this.pos) <= '9') {
			this.pos++;
		}
	}

	private static int hexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	private void expectWord(String word) {
		if (!this.text.startsWith(word, this.pos)) {
			throw new JsonParseException("expected '" + word + "'", this.pos);
		}
		this.pos += word.length();
	}

	private void expect(char expected) {
		if (next() != expected) {
			throw new JsonParseException("expected '" + expected + "'", this.pos - 1);
		}
	}

	private char peek() {
		if (this.pos >= this.text.length()) {
			throw new JsonParseException("unexpected end of input", this.pos);
		}
		return this.text.charAt(this.pos);
	}

	private char next() {
		char c = peek();
		this.pos++;
		return c;
	}

	private void skipWhitespace() {
		while (this.pos < this.text.length()) {
			char c = this.text.charAt(this.pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.pos++;
		}
	}

	private static void writeValue(StringBuilder out, Object value) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String string) {
			writeString(out, string);
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof Byte) {
			out.append(value);
		}
		else if (value instanceof Number number) {
			double d = number.doubleValue();
			if (Double.isNaN(d) || Double.isInfinite(d)) {
				throw new IllegalArgumentException("JSON cannot represent " + d);
			}
			out.append(number);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				writeString(out, String.valueOf(entry.getKey()));
				out.append(':');
				writeValue(out, entry.getValue());
			}
			out.append('}');
		}
		else if (value instanceof Collection<?> collection) {
			out.append('[');
			boolean first = true;
			for (Object item : collection) {
				if (!first) {
					out.append(',');
				}
				first = false;
				writeValue(out, item);
			}
			out.append(']');
		}
		else if (value instanceof Object[] array) {
			writeValue(out, List.of(array));
		}
		else {
			throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
		}
	}

	private static void writeString(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
