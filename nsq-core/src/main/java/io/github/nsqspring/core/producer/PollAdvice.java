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

	/** {@link #averageWaiting}'s scale: one waiting caller. */
	private static final int ONE_WAITING = 1024;

	private volatile int answeredShare = ALL_ANSWERED;

	/**
	 * Callers waiting when a call of this kind began (itself included), a moving average
	 * weighted like {@link #answeredShare}, in {@link #ONE_WAITING}ths.
	 */
	private volatile int averageWaiting = ONE_WAITING;

	private int skipped;

	/**
	 * Whether this call should poll before it parks: not while more callers wait than
	 * there are cores to poll on, now or on average over the last calls (so that a caller
	 * alone for a moment among many does not poll either), and otherwise while polls got
	 * their answers.
	 * @param waiting the callers waiting now, this one included
	 * @param maxPollers the most callers that should poll at once
	 * @return {@code true} to poll
	 */
	boolean shouldPoll(int waiting, int maxPollers) {
		int average = this.averageWaiting;
		this.averageWaiting = average + ((waiting * ONE_WAITING - average) >> WEIGHT_SHIFT);
		if (waiting > maxPollers || average > maxPollers * ONE_WAITING) {
			return false;
		}
		if (pollingPays()) {
			return true;
		}
		return (++this.skipped % PROBE_EVERY) == 0;
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

	boolean pollingPays() {
		return this.answeredShare >= WORTH_POLLING;
	}

}
