package io.github.nsqspring.core.consumer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The FIN and REQ counts of a consumer, summed over every connection it had. Each
 * connection counts its own answers (one increment per answer, as a pool-wide counter
 * would cost), so the per-nsqd view costs the message path nothing more; a closed
 * connection whose messages are all answered is added to the retired sums and forgotten.
 * Thread-safe.
 */
final class AnswerCounts {

	private final List<ConsumerConnection> counted = new ArrayList<>();

	private long retiredFinished;

	private long retiredRequeued;

	synchronized void add(ConsumerConnection connection) {
		this.counted.add(connection);
	}

	synchronized Totals totals() {
		long finished = this.retiredFinished;
		long requeued = this.retiredRequeued;
		for (Iterator<ConsumerConnection> it = this.counted.iterator(); it.hasNext();) {
			ConsumerConnection connection = it.next();
			// read the in-flight count first: an answer is counted before it decrements
			// it
			boolean done = connection.closed && connection.inFlight.get() == 0;
			long connectionFinished = connection.finished.sum();
			long connectionRequeued = connection.requeued.sum();
			finished += connectionFinished;
			requeued += connectionRequeued;
			if (done) {
				this.retiredFinished += connectionFinished;
				this.retiredRequeued += connectionRequeued;
				it.remove();
			}
		}
		return new Totals(finished, requeued);
	}

	/**
	 * FIN and REQ written.
	 *
	 * @param finished FIN written
	 * @param requeued REQ written
	 */
	record Totals(long finished, long requeued) {
	}

}
