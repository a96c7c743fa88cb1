package io.github.nsqspring.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NsqdStatsTests {

	@Test
	void readsTopicAndChannelCountersOfNsqd130() throws IOException {
		NsqdStats stats = NsqdStats.parse(resource("nsqd-1.3.0-stats.json"), "fixture_t");
		assertThat(stats.exists()).isTrue();
		assertThat(stats.messageCount()).isEqualTo(7);
		assertThat(stats.depth()).isZero();
		NsqdStats.ChannelStats ch = stats.channel("ch");
		assertThat(ch).isEqualTo(new NsqdStats.ChannelStats(3, 2, 1, 7, 4, 5, 1));
		assertThat(ch.unfinished()).isEqualTo(6);
		assertThat(stats.channel("missing")).isNull();
	}

	@Test
	void picksTheRequestedTopic() throws IOException {
		NsqdStats stats = NsqdStats.parse(resource("nsqd-1.3.0-stats.json"), "other");
		assertThat(stats.messageCount()).isEqualTo(9);
		assertThat(stats.depth()).isEqualTo(9);
		assertThat(stats.channels()).isEmpty();
	}

	@Test
	void unknownTopicIsAbsent() throws IOException {
		assertThat(NsqdStats.parse(resource("nsqd-1.3.0-stats-no-topic.json"), "t").exists()).isFalse();
		assertThat(NsqdStats.parse(resource("nsqd-1.3.0-stats.json"), "t").exists()).isFalse();
	}

	@Test
	void readsTheOldEnvelope() {
		String json = "{\"status_code\":200,\"status_txt\":\"OK\",\"data\":{\"topics\":[{\"topic_name\":\"t\","
				+ "\"depth\":1,\"message_count\":5,\"channels\":[]}]}}";
		assertThat(NsqdStats.parse(json, "t").messageCount()).isEqualTo(5);
	}

	@Test
	void rejectsSomethingElse() {
		assertThatIllegalArgumentException().isThrownBy(() -> NsqdStats.parse("{\"ok\":true}", "t"))
			.withMessageContaining("not an nsqd stats answer");
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = NsqdStatsTests.class.getResourceAsStream("/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
