package io.github.nsqspring.benchmarks.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JitCompilerTests {

	private final AtomicLong nanos = new AtomicLong();

	@Test
	void quietOnceTheCompileTimeStandsStillForHalfASecond() throws Exception {
		// compiling 40 ms per 50 ms poll for the first second, then a trickle of 1 ms per
		// 200 ms (within the tolerance of 5 ms per half second)
		JitCompiler jit = compiler((elapsedMillis) -> (elapsedMillis <= 1000) ? elapsedMillis * 4 / 5
				: 800 + (elapsedMillis - 1000) / 200);
		JitCompiler.Quiet quiet = jit.awaitQuiet(TimeUnit.SECONDS.toNanos(30));
		assertThat(quiet.quiet()).isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(quiet.waitedNanos())).isBetween(1500L, 1600L);
		assertThat(quiet.compiledMillis()).isBetween(800L, 805L);
	}

	@Test
	void aSteadyTrickleAboveTheToleranceIsNotQuiet() throws Exception {
		// 2 ms per 50 ms poll: 20 ms per half second
		JitCompiler jit = compiler((elapsedMillis) -> elapsedMillis / 25);
		JitCompiler.Quiet quiet = jit.awaitQuiet(TimeUnit.SECONDS.toNanos(5));
		assertThat(quiet.quiet()).isFalse();
		assertThat(TimeUnit.NANOSECONDS.toMillis(quiet.waitedNanos())).isBetween(5000L, 5050L);
	}

	@Test
	void givesUpAtTheLimitWhileStillCompiling() throws Exception {
		JitCompiler jit = compiler((elapsedMillis) -> elapsedMillis / 2);
		JitCompiler.Quiet quiet = jit.awaitQuiet(TimeUnit.SECONDS.toNanos(3));
		assertThat(quiet.quiet()).isFalse();
		assertThat(TimeUnit.NANOSECONDS.toMillis(quiet.waitedNanos())).isBetween(3000L, 3050L);
		assertThat(quiet.compiledMillis()).isBetween(1500L, 1525L);
	}

	@Test
	void aJvmWithoutCompileTimesIsNotWaitedFor() throws Exception {
		JitCompiler jit = compiler((elapsedMillis) -> -1);
		assertThat(jit.awaitQuiet(TimeUnit.SECONDS.toNanos(30))).isEqualTo(new JitCompiler.Quiet(false, 0, -1));
		assertThat(this.nanos.get()).isZero();
	}

	@Test
	void thisJvmReportsItsCompileTime() {
		assertThat(JitCompiler.ofThisJvm().compiledMillis()).isPositive();
	}

	/**
	 * A compiler whose compile time is a function of the (simulated) milliseconds
	 * elapsed.
	 */
	private JitCompiler compiler(LongUnaryOperator compiledAtMillis) {
		return new JitCompiler(() -> compiledAtMillis.applyAsLong(TimeUnit.NANOSECONDS.toMillis(this.nanos.get())),
				this.nanos::get, (millis) -> this.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis)));
	}

}
