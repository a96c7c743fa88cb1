package io.github.nsqspring.core.producer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PollAdviceTests {

	@Test
	void pollsWhileAtLeastAQuarterOfPollsAreAnswered() {
		PollAdvice advice = new PollAdvice();
		assertThat(polls(advice, 1)).isTrue();
		// many callers on a busy nsqd: about every other poll answered
		for (int i = 0; i < 1000; i++) {
			advice.polled(i % 2 == 0);
			assertThat(advice.pollingPays()).isTrue();
		}
	}

	@Test
	void answersThatAlwaysComeLateStopPollingWithinAFewCalls() {
		PollAdvice advice = new PollAdvice();
		int calls = 0;
		while (advice.pollingPays()) {
			advice.polled(false);
			calls++;
		}
		assertThat(calls).isBetween(5, 15);
	}

	@Test
	void whileParkingOneCallInSixteenPollsAgain() {
		PollAdvice advice = stoppedPolling();
		int polls = 0;
		for (int i = 0; i < 10 * PollAdvice.PROBE_EVERY; i++) {
			if (polls(advice, 1)) {
				polls++;
			}
		}
		assertThat(polls).isEqualTo(10);
	}

	@Test
	void answeredProbesBringPollingBack() {
		PollAdvice advice = stoppedPolling();
		int probes = 0;
		while (!advice.pollingPays()) {
			advice.polled(true);
			probes++;
		}
		assertThat(probes).isBetween(1, 4);
		assertThat(polls(advice, 1)).isTrue();
	}

	@Test
	void aQuarterOfPollsAnsweredIsNotEnoughToGoOnForEver() {
		PollAdvice advice = new PollAdvice();
		// one poll in five answered: below a quarter on average
		for (int i = 0; i < 1000; i++) {
			advice.polled(i % 5 == 0);
		}
		advice.polled(false);
		assertThat(advice.pollingPays()).isFalse();
	}

	@Test
	void moreCallersWaitingThanCoresParkUntilTheCrowdIsGone() {
		PollAdvice advice = new PollAdvice();
		assertThat(polls(advice, 3)).as("three waiting, two cores").isFalse();
		for (int i = 0; i < 100; i++) {
			polls(advice, 8);
		}
		// the first caller back after a batch of answers is alone for a moment, yet
		// seven others are about to wait with it
		assertThat(polls(advice, 1)).isFalse();
		int calls = 1;
		while (!polls(advice, 1)) {
			calls++;
		}
		// a lone caller polls again within a few calls once the crowd has gone
		assertThat(calls).isBetween(5, 30);
		assertThat(polls(advice, 2)).isTrue();
	}

	@Test
	void whereParkedCallsWaitAboutAsLongAsPollsCallersParkAndOneInSixteenPolls() {
		PollAdvice advice = new PollAdvice();
		run(advice, 1000, 80_000, 85_000);
		assertThat(advice.parkingAsFast()).isTrue();
		assertThat(run(advice, 10 * PollAdvice.PROBE_EVERY, 80_000, 85_000)).isEqualTo(10);
	}

	@Test
	void wherePollsEndTheWaitSoonerCallersPollAndOneInSixtyFourParks() {
		PollAdvice advice = new PollAdvice();
		run(advice, 1000, 40_000, 85_000);
		assertThat(advice.parkingAsFast()).isFalse();
		int calls = 10 * PollAdvice.PARK_PROBE_EVERY;
		assertThat(calls - run(advice, calls, 40_000, 85_000)).isEqualTo(10);
	}

	@Test
	void whenParkingGetsSlowerPollingComesBackWithinAFewProbes() {
		PollAdvice advice = new PollAdvice();
		run(advice, 1000, 80_000, 85_000);
		int calls = 0;
		while (advice.parkingAsFast()) {
			run(advice, 1, 80_000, 150_000);
			calls++;
		}
		assertThat(calls).isBetween(1, 30);
		assertThat(polls(advice, 1)).isTrue();
	}

	@Test
	void parkingIsNotFasterUntilBothWaitsAreKnown() {
		PollAdvice advice = new PollAdvice();
		advice.answeredWhilePolling(80_000);
		assertThat(advice.parkingAsFast()).isFalse();
		advice.parked(10_000);
		assertThat(advice.parkingAsFast()).isTrue();
	}

	/**
	 * {@code calls} lone calls, each answered after the given wait when it polls and when
	 * it parks.
	 * @return how many polled
	 */
	private static int run(PollAdvice advice, int calls, long polledWaitNanos, long parkedWaitNanos) {
		int polled = 0;
		for (int i = 0; i < calls; i++) {
			int decision = advice.decide(1, 2);
			if (decision == PollAdvice.POLL) {
				advice.answeredWhilePolling(polledWaitNanos);
				polled++;
			}
			else {
				assertThat(decision).isEqualTo(PollAdvice.PARK);
				advice.parked(parkedWaitNanos);
			}
		}
		return polled;
	}

	private static PollAdvice stoppedPolling() {
		PollAdvice advice = new PollAdvice();
		while (advice.pollingPays()) {
			advice.polled(false);
		}
		return advice;
	}

	/** Whether a call with {@code waiting} callers waiting on two cores polls. */
	private static boolean polls(PollAdvice advice, int waiting) {
		return advice.decide(waiting, 2) == PollAdvice.POLL;
	}

}
