package io.github.nsqspring.core.producer;

import java.util.List;

/**
 * A snapshot of a producer's counters ({@link NsqProducer#stats()}). Taking one reads a
 * few counters per nsqd and takes no lock on the publish path; publishing pays nothing
 * for it.
 *
 * @param published messages nsqd acknowledged ({@code OK}) over the producer's life, an
 * MPUB counting each of its messages
 * @param failed messages whose publish failed for their caller (the future completed
 * exceptionally): nsqd answered with an error, the connection was lost before the answer,
 * no nsqd was available, no room among pending commands freed up in time, or the producer
 * was closed. Bad input (an invalid topic, an empty or too large message), which fails
 * before anything is sent, is not counted. A publish that one nsqd could not take before
 * it was written and that a producer over several nsqd then published to another counts
 * as published only.
 * @param pending publish calls awaiting nsqd's answer: commands written or buffered and
 * not answered yet, plus callers holding room for one
 * @param nodes every nsqd the producer publishes to (with nsqlookupd: those it lists, and
 * those no longer listed while they are being closed), in the order the producer tries
 * them
 */
public record ProducerStats(long published, long failed, long pending, List<ProducerNodeStats> nodes) {

	/**
	 * A snapshot; the list of nodes is copied.
	 * @param published messages nsqd acknowledged
	 * @param failed messages whose publish failed for their caller
	 * @param pending publish calls awaiting an answer
	 * @param nodes the nsqd, each with its own counts
	 */
	public ProducerStats {
		nodes = List.copyOf(nodes);
	}

}
