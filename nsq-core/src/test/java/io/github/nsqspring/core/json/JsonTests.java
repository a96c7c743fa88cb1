package io.github.nsqspring.core.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonTests {

	// reference §2.2: nsqd 1.3.0 IDENTIFY answer with feature_negotiation
	private static final String IDENTIFY_RESPONSE = "{\"max_rdy_count\":2500,\"version\":\"1.3.0\","
			+ "\"max_msg_timeout\":900000,\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,"
			+ "\"deflate_level\":6,\"max_deflate_level\":6,\"snappy\":true,\"sample_rate\":0,"
			+ "\"auth_required\":false,\"output_buffer_size\":16384,\"output_buffer_timeout\":250,"
			+ "\"topology_region\":\"\",\"topology_zone\":\"\"}";

	private static final String PEER = "{\"remote_address\":\"172.31.27.114:51996\",\"hostname\":\"h1.example\","
			+ "\"broadcast_address\":\"h1.routable\",\"tcp_port\":4150,\"http_port\":4151,\"version\":\"1.3.0\","
			+ "\"topology_zone\":\"\",\"topology_region\":\"\"}";

	// reference §4.3: nsqlookupd /lookup and /nodes
	private static final String LOOKUP = "{\"channels\":[\"billing\",\"audit#ephemeral\"],\"producers\":[" + PEER
			+ "]}";

	private static final String NODES = "{\"producers\":[" + PEER.substring(0, PEER.length() - 1)
			+ ",\"tombstones\":[false,true],\"topics\":[\"orders\",\"events\"]}]}";

	@Test
	void identifyResponse() {
		Map<String, Object> response = Json.parseObject(IDENTIFY_RESPONSE.getBytes(StandardCharsets.UTF_8));
		assertThat(Json.getLong(response, "max_rdy_count", -1)).isEqualTo(2500);
		assertThat(Json.getString(response, "version", null)).isEqualTo("1.3.0");
		assertThat(Json.getLong(response, "max_msg_timeout", -1)).isEqualTo(900_000);
		assertThat(Json.getLong(response, "msg_timeout", -1)).isEqualTo(60_000);
		assertThat(Json.getBoolean(response, "tls_v1", true)).isFalse();
		assertThat(Json.getBoolean(response, "deflate", true)).isFalse();
		assertThat(Json.getBoolean(response, "snappy", false)).isTrue();
		assertThat(Json.getBoolean(response, "auth_required", true)).isFalse();
		assertThat(Json.getLong(response, "output_buffer_size", -1)).isEqualTo(16384);
		assertThat(Json.getString(response, "topology_zone", null)).isEmpty();
		assertThat(response).hasSize(15);
		assertThat(response.keySet()).first().isEqualTo("max_rdy_count");
		assertThat(Json.write(response)).isEqualTo(IDENTIFY_RESPONSE);
	}

	@Test
	@SuppressWarnings("unchecked")
	void lookupAnswer() {
		Map<String, Object> lookup = Json.parseObject(LOOKUP);
		assertThat((List<Object>) lookup.get("channels")).containsExactly("billing", "audit#ephemeral");
		List<Object> producers = (List<Object>) lookup.get("producers");
		assertThat(producers).hasSize(1);
		Map<String, Object> peer = (Map<String, Object>) producers.get(0);
		assertThat(Json.getString(peer, "broadcast_address", null)).isEqualTo("h1.routable");
		assertThat(Json.getLong(peer, "tcp_port", -1)).isEqualTo(4150);
		assertThat(Json.getLong(peer, "http_port", -1)).isEqualTo(4151);
		assertThat(peer.get("tcp_port")).isInstanceOf(Long.class);
		assertThat(Json.write(lookup)).isEqualTo(LOOKUP);
	}

	@Test
	@SuppressWarnings("unchecked")
	void nodesAnswer() {
		Map<String, Object> nodes = Json.parseObject(NODES);
		Map<String, Object> node = (Map<String, Object>) ((List<Object>) nodes.get("producers")).get(0);
		assertThat((List<Object>) node.get("tombstones")).containsExactly(false, true);
		assertThat((List<Object>) node.get("topics")).containsExactly("orders", "events");
		assertThat(Json.getString(node, "hostname", null)).isEqualTo("h1.example");
		assertThat(Json.write(nodes)).isEqualTo(NODES);
	}

	@Test
	void emptyProducerList() {
		Map<String, Object> lookup = Json.parseObject("{\"channels\":[],\"producers\":[]}");
		assertThat(lookup.get("producers")).isEqualTo(List.of());
	}

	@Test
	void scalars() {
		assertThat(Json.parse("true")).isEqualTo(true);
		assertThat(Json.parse("false")).isEqualTo(false);
		assertThat(Json.parse("null")).isNull();
		assertThat(Json.parse(" \t\r\n\"x\" \n")).isEqualTo("x");
		assertThat(Json.parse("{}")).isEqualTo(Map.of());
		assertThat(Json.parse("[]")).isEqualTo(List.of());
		assertThat(Json.parse("[ 1 , [ ] , { } , \"\" ]")).isEqualTo(List.of(1L, List.of(), Map.of(), ""));
	}

	@Test
	void numbers() {
		assertThat(Json.parse("0")).isEqualTo(0L);
		assertThat(Json.parse("-0")).isEqualTo(0L);
		assertThat(Json.parse("42")).isEqualTo(42L);
		assertThat(Json.parse("-17")).isEqualTo(-17L);
		assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
		assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
		assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808E18);
		assertThat(Json.parse("123456789012345678901234567890")).isEqualTo(1.2345678901234568E29);
		assertThat(Json.parse("1.5")).isEqualTo(1.5);
		assertThat(Json.parse("-0.25")).isEqualTo(-0.25);
		assertThat(Json.parse("2.0")).isEqualTo(2.0);
		assertThat(Json.parse("1e3")).isEqualTo(1000.0);
		assertThat(Json.parse("1E+3")).isEqualTo(1000.0);
		assertThat(Json.parse("2.5e-3")).isEqualTo(0.0025);
		assertThat(Json.parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
	}

	@Test
	void invalidNumbersHaveOffsets() {
		assertError("-", "expected digits", 1);
		assertError("1.", "expected digits after '.'", 2);
		assertError("1.e5", "expected digits after '.'", 2);
		assertError("1e", "expected exponent digits", 2);
		assertError("1e+", "expected exponent digits", 3);
		assertError("+1", "unexpected character '+'", 0);
		assertError(".5", "unexpected character '.'", 0);
		assertError("[01]", "leading zero", 1);
		assertError("-01", "leading zero", 0);
	}

	@Test
	void onlyAsciiDigitsAreNumbers() {
		// Arabic-Indic digits are Character.isDigit but not JSON
		assertError("1\u0663", "unexpected trailing content", 1);
		assertError("[1.\u0663]", "expected digits after '.'", 3);
		assertError("1e\u0663", "expected exponent digits", 2);
		assertError("\u0663", "unexpected character", 0);
	}

	@Test
	void stringEscapes() {
		assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"")).isEqualTo("a\"b\\c/d\be\ff\ng\rh\ti");
		assertThat(Json.parse("\"\\u0041\\u00e9\\u20AC\"")).isEqualTo("Aé€");
		assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("😀");
		assertThat(Json.parse("\"prefix \\u0000 suffix\"")).isEqualTo("prefix \u0000 suffix");
	}

	@Test
	void utf8Bytes() {
		assertThat(Json.parse("\"ü😀 raw\"".getBytes(StandardCharsets.UTF_8))).isEqualTo("ü😀 raw");
	}

	@Test
	void invalidStrings() {
		assertError("\"abc", "unterminated string", 0);
		assertError("[\"abc", "unterminated string", 1);
		assertError("\"a\\x\"", "invalid escape '\\x'", 3);
		assertError("\"\\u12\"", "truncated \\u escape", 3);
		assertError("\"\\u12", "truncated \\u escape", 3);
		assertError("\"\\u12G4\"", "invalid \\u escape", 3);
		assertError("\"\\u+123\"", "invalid \\u escape", 3);
		assertError("\"\\u-001\"", "invalid \\u escape", 3);
		assertError("\"a\nb\"", "control character in string", 2);
		assertError("\"a\\", "unexpected end of input", 3);
	}

	@Test
	void structuralErrorsHaveOffsets() {
		assertError("", "unexpected end of input", 0);
		assertError("   ", "unexpected end of input", 3);
		assertError("{\"a\":}", "unexpected character '}'", 5);
		assertError("{\"a\" 1}", "expected ':'", 5);
		assertError("{a:1}", "expected a member name", 1);
		assertError("{\"a\":1,}", "expected a member name", 7);
		assertError("{\"a\":1 \"b\":2}", "expected ',' or '}'", 7);
		assertError("[1 2]", "expected ',' or ']'", 3);
		assertError("[1,]", "unexpected character ']'", 3);
		assertError("[1,2", "unexpected end of input", 4);
		assertError("{", "unexpected end of input", 1);
		assertError("tru", "expected 'true'", 0);
		assertError("nul", "expected 'null'", 0);
		assertError("falsey", "unexpected trailing content", 5);
		assertError("{} x", "unexpected trailing content", 3);
		assertError("{}{}", "unexpected trailing content", 2);
		assertError("[1]]", "unexpected trailing content", 3);
	}

	@Test
	void parseObjectRequiresAnObject() {
		assertThatExceptionOfType(JsonParseException.class).isThrownBy(() -> Json.parseObject("[1]"))
			.withMessageContaining("expected a JSON object");
		assertThatExceptionOfType(JsonParseException.class).isThrownBy(() -> Json.parseObject("OK"));
	}

	@Test
	void nestingLimit() {
		assertThat(Json.parse("[".repeat(64) + "1" + "]".repeat(64))).isInstanceOf(List.class);
		assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
		assertThat(Json.parse("{\"a\":".repeat(64) + "1" + "}".repeat(64))).isInstanceOf(Map.class);
		assertError("[".repeat(65) + "]".repeat(65), "nesting deeper than 64", 64);
		assertError("[".repeat(65) + "1" + "]".repeat(65), "nesting deeper than 64", 64);
		// deep enough to overflow the stack without a limit
		assertThatExceptionOfType(JsonParseException.class).isThrownBy(() -> Json.parse("[".repeat(100_000)))
			.withMessageContaining("nesting deeper than 64");
		assertThatExceptionOfType(JsonParseException.class).isThrownBy(() -> Json.parse("{\"a\":[".repeat(50_000)))
			.withMessageContaining("nesting deeper than 64");
	}

	@Test
	void write() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("s", "text");
		map.put("i", 1);
		map.put("l", 2L);
		map.put("sh", (short) 3);
		map.put("b", (byte) 4);
		map.put("d", 1.5);
		map.put("f", 0.25f);
		map.put("big", new BigDecimal("12.50"));
		map.put("t", true);
		map.put("n", null);
		map.put("list", List.of(1, "two"));
		map.put("array", new Object[] { "x", 2 });
		map.put("nested", Map.of("k", List.of()));
		assertThat(Json.write(map)).isEqualTo("{\"s\":\"text\",\"i\":1,\"l\":2,\"sh\":3,\"b\":4,\"d\":1.5,\"f\":0.25,"
				+ "\"big\":12.50,\"t\":true,\"n\":null,\"list\":[1,\"two\"],\"array\":[\"x\",2],\"nested\":{\"k\":[]}}");
	}

	@Test
	void writeEscapes() {
		assertThat(Json.write("q\"b\\n\nr\rt\tb\bf\f\u0001\u001f\u007f/é😀"))
			.isEqualTo("\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\u007f/é😀\"");
		assertThat(Json.write(Map.of("a\"b", 1))).isEqualTo("{\"a\\\"b\":1}");
	}

	@Test
	void writeRejectsWhatJsonCannotHold() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Double.NaN)).withMessageContaining("NaN");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(Float.POSITIVE_INFINITY))
			.withMessageContaining("Infinity");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.write(List.of(new Object())))
			.withMessageContaining("java.lang.Object");
	}

	@Test
	void accessorsFallBack() {
		Map<String, Object> object = Json.parseObject("{\"n\":5,\"s\":\"x\",\"b\":true,\"d\":2.9}");
		assertThat(Json.getLong(object, "n", -1)).isEqualTo(5);
		assertThat(Json.getLong(object, "d", -1)).isEqualTo(2);
		assertThat(Json.getLong(object, "s", -1)).isEqualTo(-1);
		assertThat(Json.getLong(object, "missing", -1)).isEqualTo(-1);
		assertThat(Json.getBoolean(object, "n", true)).isTrue();
		assertThat(Json.getBoolean(object, "b", false)).isTrue();
		assertThat(Json.getString(object, "n", "fallback")).isEqualTo("fallback");
		assertThat(Json.getString(object, "s", "fallback")).isEqualTo("x");
	}

	@Test
	void randomValuesRoundTrip() {
		for (long seed = 0; seed < 500; seed++) {
			Random random = new Random(seed);
			Object value = randomValue(random, 0);
			String json = Json.write(value);
			assertThat(Json.parse(json)).as("seed %d: %s", seed, json).isEqualTo(value);
			assertThat(Json.parse(json.getBytes(StandardCharsets.UTF_8))).as("seed %d as UTF-8", seed).isEqualTo(value);
			assertThat(Json.write(Json.parse(json))).as("seed %d written again", seed).isEqualTo(json);
		}
	}

	@Test
	void randomTextNeverThrowsAnythingButJsonParseException() {
		String alphabet = "{}[]:,\"\\/ \n\tu0123456789abcdefABCDEF+-.eEtrufalsn\u0000\u0663é";
		for (long seed = 0; seed < 5000; seed++) {
			Random random = new Random(seed);
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(40);
			for (int i = 0; i < length; i++) {
				text.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			try {
				Json.parse(text.toString());
			}
			catch (JsonParseException expected) {
				assertThat(expected.offset()).isBetween(0, text.length());
			}
			catch (RuntimeException ex) {
				throw new AssertionError("seed " + seed + ": " + Arrays.toString(text.toString().toCharArray()), ex);
			}
		}
	}

	private static Object randomValue(Random random, int depth) {
		int kind = random.nextInt((depth < 4) ? 8 : 6);
		switch (kind) {
			case 0:
				return null;
			case 1:
				return random.nextBoolean();
			case 2:
				return random.nextBoolean() ? (long) random.nextInt(1000) : random.nextLong();
			case 3:
				return random.nextBoolean() ? random.nextDouble() * 1000 : Double.longBitsToDouble(random.nextLong());
			case 4:
			case 5:
				return randomString(random);
			case 6: {
				List<Object> list = new ArrayList<>();
				int size = random.nextInt(5);
				for (int i = 0; i < size; i++) {
					list.add(randomValue(random, depth + 1));
				}
				return list;
			}
			default: {
				Map<String, Object> map = new LinkedHashMap<>();
				int size = random.nextInt(5);
				for (int i = 0; i < size; i++) {
					map.put(randomString(random), randomValue(random, depth + 1));
				}
				return map;
			}
		}
	}

	private static String randomString(Random random) {
		String alphabet = "abc XYZ\"\\/\n\r\t\b\f\u0000\u0001\u001f\u007féü€😀";
		StringBuilder out = new StringBuilder();
		int length = random.nextInt(10);
		while (out.length() < length) {
			int at = random.nextInt(alphabet.length());
			if (Character.isHighSurrogate(alphabet.charAt(at))) {
				out.append(alphabet, at, at + 2);
			}
			else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
				out.append(alphabet.charAt(at));
			}
		}
		return out.toString();
	}

	private static void assertError(String text, String message, int offset) {
		assertThatExceptionOfType(JsonParseException.class).as(text)
			.isThrownBy(() -> Json.parse(text))
			.withMessageContaining(message)
			.withMessageEndingWith(" at offset " + offset)
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(offset));
	}

}
