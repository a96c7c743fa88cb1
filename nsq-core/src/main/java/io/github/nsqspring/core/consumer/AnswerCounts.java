package io.github.nsqspring.core.consumer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A consumer's message counts (received, in flight, finished, requeued), summed over
 * every connection it had. Each connection counts its own messages and answers, so the
 * per-nsqd view costs the message path nothing more and no counter is shared by all the
 * connections' readers and workers; a closed connection whose messages are all answered
 * is added to the retired sums and forgotten. Thread-safe.
 */
final class AnswerCounts {

	private final List<ConsumerConnection> counted = new ArrayList<>();

	private long retiredReceived;

	private long retiredFinished;

	private long retiredRequeued;

	synchronized void add(ConsumerConnection connection) {
		this.counted.add(connection);
	}

	synchronized Totals totals() {
		long received = this.retiredReceived;
		long inFlight = 0;
		long finished = this.retiredFinished;
		long requeued = this.retiredRequeued;
		for (Iterator<ConsumerConnection> it = this.counted.iterator(); it.hasNext();) {
			ConsumerConnection connection = it.next();
			// read the in-flight count first: an answer is counted before it decrements
			// it
			int connectionInFlight = connection.inFlight.get();
			boolean done = connection.closed && connectionInFlight == 0;
			long connectionReceived = connection.inFlight.receivedTotal();
			long connectionFinished = connection.finished.sum();
			long connectionRequeued = connection.requeued.sum();
			received += connectionReceived;
			inFlight += connectionInFlight;
			finished += connectionFinished;
			requeued += connectionRequeued;
			if (done) {
				this.retiredReceived += connectionReceived;
				this.retiredFinished += connectionFinished;
				this.retiredRequeued += connectionRequeued;
				it.remove();
			}
		}
		return new Totals(received, inFlight, finished, requeued);
	}

	/**
	 * Messages received and answered.
	 *
	 * @param received messages received
	 * @param inFlight messages received and not answered yet (nor given up as
	 * unanswerable)
	 * @param finished FIN written
	 * @param requeued REQ written
	 */
	record Totals(long received, long inFlight, long finished, long requeued) {
	}

}
