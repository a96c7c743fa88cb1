package io.github.nsqspring.benchmarks.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.nsqspring.benchmarks.support.HandOffCost.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HandOffCostTests {

	@Test
	void everyTurnIsTakenOnceAndTheRoundIsTimed() throws Exception {
		Result result = HandOffCost.measure(2_000);
		assertThat(result.handOffs()).isEqualTo(2_000);
		assertThat(result.wallNanos()).isPositive();
		assertThat(result.cpuNanos()).isPositive();
	}

	@Test
	void printsTheCostPerHandOff() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		HandOffCost.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2,
				new Result(1_000, 14_000_000, 13_000_000));
		assertThat(bytes.toString(StandardCharsets.UTF_8))
			.isEqualTo("RESULT round=2 hand_offs=1000 wall_us_per_hand_off=14.00 cpu_us_per_hand_off=13.00"
					+ System.lineSeparator());
	}

	@Test
	void anOddCountIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> HandOffCost.main(new String[] { "7" }))
			.withMessage("hand-offs must be an even number of at least 2, not 7");
	}

}
