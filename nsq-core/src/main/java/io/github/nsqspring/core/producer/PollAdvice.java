package io.github.nsqspring.core.producer;

/**
 * Whether polling for nsqd's answer pays, for one kind of synchronous call of one
 * producer. A poll pays when the answer comes while the caller polls; when answers keep
 * coming after the poll has run out (an MPUB of a large batch, a slow or busy nsqd), the
 * poll was CPU taken from nsqd and the reader for nothing, and the caller parks at once
 * instead. Every {@link #PROBE_EVERY}th call still polls, so that faster answers bring
 * polling back.
 * <p>
 * The measure is the share of recent polls that got their answer, a moving average in
 * which the last eight polls weigh most; callers poll while it is at least a quarter.
 * Many synchronous callers on a busy nsqd see about half of their polls answered and keep
 * polling, as they did before; a batch whose answer always comes late stops polling after
 * a few calls.
 * <p>
 * Answered polls are not enough: a poll only pays when it ends the wait sooner than
 * parking would. Where a parked thread wakes quickly, a polling caller sees its answer no
 * sooner and only burns a core that the reader and nsqd could use (one caller on a 2-vCPU
 * AMD EPYC guest, 2026-12-01: the same 10–14k msg/s polling and parking, at 64–92 µs of
 * CPU per message polling against 42–45 parking; on the Intel guest before it, polling
 * made the same caller 1.4–2 times as fast). So the advice also keeps the wait of
 * answered polls and of calls that parked at once, each a moving average, and callers
 * park at once when parking waits less than a quarter longer than polling. To keep both
 * averages current, while callers poll one call in {@link #PARK_PROBE_EVERY} parks, and
 * while they park because parking is as fast, one call in {@link #PROBE_EVERY} polls.
 * <p>
 * Updates are racy on purpose: this is an estimate, read and written on every synchronous
 * call, and a lost update only delays the switch by a call.
 */
final class PollAdvice {

	/** The average's scale: every poll answered. */
	private static final int ALL_ANSWERED = 1024;

	/** Callers poll while at least this share of polls was answered. */
	private static final int WORTH_POLLING = ALL_ANSWERED / 4;

	/** Each poll moves the average by an eighth of its distance to the outcome. */
	private static final int WEIGHT_SHIFT = 3;

	/** While callers park at once, one call in this many polls again. */
	static final int PROBE_EVERY = 16;

	/**
	 * While callers poll, one call in this many parks at once, to measure what parking
	 * waits (rarely: on a machine where polling pays, such a call waits longer).
	 */
	static final int PARK_PROBE_EVERY = 64;

	/**
	 * {@link #decide}: poll, then park if the poll runs out.
	 */
	static final int POLL = 0;

	/** {@link #decide}: park at once, and report the wait with {@link #parked}. */
	static final int PARK = 1;

	/**
	 * {@link #decide}: park at once without reporting the wait: more callers wait than
	 * there are cores, and their wait says nothing about a lone caller's.
	 */
	static final int PARK_UNTIMED = 2;

	/** {@link #averageWaiting}'s scale: one waiting caller. */
	private static final int ONE_WAITING = 1024;

	private volatile int answeredShare = ALL_ANSWERED;

	/**
	 * Callers waiting when a call of this kind began (itself included), a moving average
	 * weighted like {@link #answeredShare}, in {@link #ONE_WAITING}ths.
	 */
	private volatile int averageWaiting = ONE_WAITING;

	/** Wait of calls answered while polling, a moving average; 0 until the first. */
	private volatile long polledWaitNanos;

	/** Wait of calls that parked at once, a moving average; 0 until the first. */
	private volatile long parkedWaitNanos;

	private int skipped;

	private int polls;

	/**
	 * What this call should do: park untimed while more callers wait than there are cores
	 * to poll on, now or on average over the last calls (so that a caller alone for a
	 * moment among many does not poll either); otherwise poll while polls got their
	 * answers sooner than parked calls, and park (reporting the wait) while they did not.
	 * @param waiting the callers waiting now, this one included
	 * @param maxPollers the most callers that should poll at once
	 * @return {@link #POLL}, {@link #PARK} or {@link #PARK_UNTIMED}
	 */
	int decide(int waiting, int maxPollers) {
		int average = this.averageWaiting;
		this.averageWaiting = average + ((waiting * ONE_WAITING - average) >> WEIGHT_SHIFT);
		if (waiting > maxPollers || average > maxPollers * ONE_WAITING) {
			return PARK_UNTIMED;
		}
		if (!pollingPays() || parkingAsFast()) {
			return ((++this.skipped % PROBE_EVERY) == 0) ? POLL : PARK;
		}
		return ((++this.polls % PARK_PROBE_EVERY) == 0) ? PARK : POLL;
	}

	/**
	 * Record how a poll ended.
	 * @param answered {@code true} when the answer came while polling, {@code false} when
	 * the poll ran out
	 */
	void polled(boolean answered) {
		int share = this.answeredShare;
		int outcome = answered ? ALL_ANSWERED : 0;
		this.answeredShare = share + ((outcome - share) >> WEIGHT_SHIFT);
	}

	/**
	 * Record a poll that got its answer.
	 * @param waitNanos from the call's start to the answer seen
	 */
	void answeredWhilePolling(long waitNanos) {
		polled(true);
		this.polledWaitNanos = movedTowards(this.polledWaitNanos, waitNanos);
	}

	/**
	 * Record the wait of a call that parked at once ({@link #PARK}).
	 * @param waitNanos from the call's start to its wake-up, at most the poll's spin
	 */
	void parked(long waitNanos) {
		this.parkedWaitNanos = movedTowards(this.parkedWaitNanos, waitNanos);
	}

	/**
	 * Whether parked calls wait less than a quarter longer than answered polls, both
	 * known.
	 * @return {@code true} when polling does not shorten the wait enough to pay for its
	 * core
	 */
	boolean parkingAsFast() {
		long polled = this.polledWaitNanos;
		long parked = this.parkedWaitNanos;
		return polled > 0 && parked > 0 && parked < polled + (polled >> 2);
	}

	private static long movedTowards(long average, long sample) {
		long positive = Math.max(sample, 1);
		return (average == 0) ? positive : average + ((positive - average) >> WEIGHT_SHIFT);
	}

	boolean pollingPays() {
		return this.answeredShare >= WORTH_POLLING;
	}

}
